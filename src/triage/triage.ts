/**
 * Triage stage, after evaluation and before the report: where findings are marked, never deleted.
 *
 * Root causes: a rule with `folds:` (PHI in an environment that may not hold it, PHI on an unmanaged device) names the
 * finding that removes the PHI; the safeguard findings its presence sets off on the same target (backups, keys,
 * access reviews for PHI that must simply leave) are folded under it: still in every report, marked with the root's
 * id, and left out of the counts and the exit code. Accepted risks and baselines will be marked here too.
 */
import type { Finding } from '../evaluate/finding.js';
import type { LoadedRule } from '../rules/schema.js';

export interface TriageInput {
  readonly findings: readonly Finding[];
  readonly rules: readonly LoadedRule[];
}

export function triage(input: TriageInput): readonly Finding[] {
  const folding = input.rules.filter((r) => r.folds !== undefined && r.folds.length > 0);
  if (folding.length === 0) return input.findings;
  // Per target: the rule ids folded there, and the root finding each folds under (the first root found wins).
  const roots = new Map<string, Map<string, string>>();
  const folds = new Map(folding.map((r) => [r.id, r.folds!]));
  for (const f of input.findings) {
    const folded = folds.get(f.rule);
    if (folded === undefined || f.status !== 'fail') continue;
    let byRule = roots.get(f.target);
    if (byRule === undefined) roots.set(f.target, (byRule = new Map()));
    for (const id of folded) if (!byRule.has(id)) byRule.set(id, f.id);
  }
  if (roots.size === 0) return input.findings;
  for (const f of input.findings) {
    const root = roots.get(f.target)?.get(f.rule);
    // A root is never folded under another root, so two roots on one target both count.
    if (root !== undefined && !folds.has(f.rule)) f.folded_under = root;
  }
  return input.findings;
}
