import { PHASES, type ParsedStep } from './model.js';

/** Steps in the order a run sends them: Prerequisites, Test Request, Cleanup; file order within each. */
export function chainOrder(steps: readonly ParsedStep[]): readonly ParsedStep[] {
  // Almost every spec lists its phases in run order already: no copy then.
  let inOrder = true;
  for (let i = 1; i < steps.length && inOrder; i++) inOrder = PHASES.indexOf(steps[i - 1]!.phase) <= PHASES.indexOf(steps[i]!.phase);
  return inOrder ? steps : PHASES.flatMap((phase) => steps.filter((s) => s.phase === phase));
}
