/**
 * `workspace/executeCommand` commands the server offers. Client and server import this one definition (it belongs
 * with the custom protocol; kept here until shared/protocol.ts carries it).
 */

/** Arguments: `[ruleId]`; returns the rule's docs URL, or null for an unknown rule. */
export const RULE_DOCS_COMMAND = 'serverActionGuard.server.ruleDocsUrl';
