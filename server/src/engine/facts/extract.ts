/**
 * Extracts the facts of one action: a context built once (its calls described, parameters, client values, what its
 * action client or wrapper establishes), then small passes, each filling its part of `ActionFacts`, in dependency
 * order (auth before identity: ownership comparisons need the names bound to the session).
 */
import type { FoundAction } from '../actions';
import type { Scope } from './calls';
import { buildContext, emptyFacts, type ActionContext } from './context';
import type { ActionFacts } from './model';
import { authPass } from './passes/auth';
import { effectsPass } from './passes/effects';
import { exposurePass } from './passes/exposure';
import { errorsPass } from './passes/errors';
import { identityPass } from './passes/identity';
import { inputsPass } from './passes/inputs';
import { massAssignmentPass } from './passes/mass-assignment';
import { usagePass } from './passes/usage';
import { validationPass } from './passes/validation';

export type FactPass = (context: ActionContext, facts: ActionFacts) => void;

export const PASSES: readonly FactPass[] = [authPass, validationPass, inputsPass, effectsPass, exposurePass, identityPass, massAssignmentPass, errorsPass, usagePass];

export function extractActionFacts(found: FoundAction, scope: Scope, publicReason: string | undefined, projectHasAuth = true): ActionFacts {
  const context = buildContext(found, scope, publicReason, projectHasAuth);
  const facts = emptyFacts(context);
  for (const pass of PASSES) pass(context, facts);
  return facts;
}
