/**
 * A readable dump of a file's facts, one line per fact with its position, for data-driven fact tests
 * (test/facts/cases/*) and for debugging what the engine saw.
 */
import type ts from 'typescript';
import type { ActionFacts, FileFacts } from './model';

export function dumpFacts(facts: FileFacts): string {
  const sourceFile = facts.sourceFile;
  const at = (node: ts.Node): string => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    return `${line + 1}:${character + 1}`;
  };
  const text = (node: ts.Node): string => {
    const raw = node.getText(sourceFile).replace(/\s+/g, ' ');
    return raw.length > 60 ? `${raw.slice(0, 57)}…` : raw;
  };
  const lines: string[] = [`file ${facts.relativePath}${facts.directive ? ` '${facts.directive}'` : ''}`];
  for (const entry of facts.misplacedDirectives) lines.push(`  misplaced '${entry.directive}' @${at(entry.node)}`);
  for (const entry of facts.nonAsyncExports) lines.push(`  non-async export ${entry.name} @${at(entry.node)}`);
  for (const entry of facts.privilegedImports) {
    lines.push(`  privileged import '${entry.specifier}' @${at(entry.node)}: ${entry.reason}${entry.holder ? ` (in ${entry.holder.split('/').pop()})` : ''}${entry.hasServerOnly ? ', marked server-only' : ''}`);
  }
  for (const entry of facts.authImports) lines.push(`  auth import ${entry.name}: ${entry.kind}${shapeText(entry.shape)}${entry.from ? ` from ${entry.from}` : ''}`);
  for (const entry of facts.hiddenIdentityInputs) lines.push(`  hidden identity input ${entry.field} @${at(entry.node)}`);
  for (const action of facts.actions) lines.push(...dumpAction(action, at, text));
  return `${lines.join('\n')}\n`;
}

function shapeText(shape: { userIdPath: readonly string[] } | undefined): string {
  return shape ? ` (user id at ${shape.userIdPath.join('.') || 'itself'})` : '';
}

function dumpAction(action: ActionFacts, at: (node: ts.Node) => string, text: (node: ts.Node) => string): string[] {
  const lines = [`action ${action.name} (${action.kind}) @${at(action.nameNode)}`];
  const flags = [action.isPublic && `public: ${action.publicReason}`, action.authFlow && 'auth flow', action.clientSchema && 'client schema', action.clientLeaksErrors && 'client leaks errors'].filter(Boolean);
  if (flags.length) lines.push(`  flags: ${flags.join(', ')}`);
  if (action.params.length) lines.push(`  params: ${action.params.map((p) => `${p.name}${p.isFormData ? ' (FormData)' : ''}`).join(', ')}`);
  for (const input of action.inputs) {
    lines.push(`  input ${input.source} ${input.field ?? (input.whole ? '(whole)' : input.param)} @${at(input.node)}${input.validated ? ' validated' : ''}`);
  }
  for (const parse of action.schemaParses) lines.push(`  parse ${parse.callee} @${at(parse.node)}${parse.safe ? ' safe' : ''}${parse.checked ? ' checked' : ' unchecked'}`);
  for (const guard of action.authGuards) {
    lines.push(`  auth ${guard.kind} ${guard.callee} @${at(guard.node)} ${guard.certainty}${shapeText(guard.shape)}${guard.identityNames.length ? `, binds ${guard.identityNames.join(', ')}` : ''}`);
  }
  for (const session of action.uncheckedSessions) lines.push(`  unchecked session ${session.callee} @${at(session.node)}`);
  if (action.sessionUserId) lines.push(`  user id: ${action.sessionUserId}`);
  for (const effect of action.sideEffects) {
    const traits = [effect.read && 'read', effect.expensive && 'expensive', effect.changesAppData && 'changes app data', effect.returned && 'returned', effect.clientRecipient && 'client recipient', effect.scopedBySession && 'scoped by session', effect.library && `via ${effect.library}`].filter(Boolean);
    lines.push(`  effect ${effect.kind} ${effect.label} @${at(effect.node)} guard=${effect.guard ?? 'none'}${traits.length ? ` [${traits.join(', ')}]` : ''}`);
  }
  for (const access of action.dataAccess) {
    lines.push(`  ${access.write ? 'write' : 'read'} ${access.label} @${at(access.node)}${access.filters.length ? ` where ${access.filters.map(text).join(' & ')}` : ''}${access.payload ? ` data ${text(access.payload)}` : ''}`);
  }
  for (const marker of action.revalidates) lines.push(`  revalidate/exit @${at(marker.node)}`);
  for (const marker of action.rateLimits) lines.push(`  rate limit @${at(marker.node)}`);
  for (const identity of action.identityFromClient) lines.push(`  identity from client ${identity.field} @${at(identity.node)}`);
  for (const column of action.clientColumns) lines.push(`  client column ${column.kind}${column.field ? ` over ${column.field}` : ''} in ${column.access.label} @${at(column.node)}`);
  for (const idor of action.idors) lines.push(`  idor ${idor.access.label} keyed by ${text(idor.node)} @${at(idor.node)}`);
  for (const broken of action.brokenChecks) lines.push(`  broken check ${broken.check.callee}() not awaited${broken.via ? ` in ${broken.via}` : ''} @${at(broken.node)}`);
  for (const mass of action.massAssignments) lines.push(`  mass assignment ${mass.reason} ${mass.label} @${at(mass.node)}`);
  for (const leak of action.errorLeaks) lines.push(`  error leak ${leak.what} @${at(leak.node)}`);
  return lines;
}
