/** Backups: a copy of PHI kept no worse than the original. */
import { z } from 'zod';
import { defineCheck, fail, HOSTED_TARGETS, notApplicable, pass } from './define.js';

const STRENGTH: Record<string, number> = { none: 0, 'aes-128': 1, 'aes-192': 2, 'aes-256': 3 };
const strength = (v: unknown): number => (typeof v === 'string' && Object.hasOwn(STRENGTH, v) ? STRENGTH[v]! : 0);

export const backupMatchesSource = defineCheck({
  name: 'backup-matches-source',
  description: "fails when the node's backup store is weaker than the node: encryption algorithm or key control, public access, or access controls",
  targets: HOSTED_TARGETS,
  options: z.strictObject({}),
  run(node, _o, ctx) {
    const backupId = ctx.fact(node.id, 'backup').value;
    if (typeof backupId !== 'string') return notApplicable;
    const backup = ctx.graph.node(backupId);
    if (backup?.type !== 'store') return notApplicable;
    const src = (field: string) => ctx.fact(node.id, field).value;
    const dst = (field: string) => ctx.fact(backup.id, field).value;
    // Only what is weaker than the source: a backup as weak as its source is the source's problem, and the
    // backup's own gaps are reported by the store rules that apply to it (it holds the same PHI).
    const gaps: string[] = [];
    const srcEnc = src('encryption.at_rest') ?? 'none';
    const bEnc = dst('encryption.at_rest');
    if (strength(bEnc) < strength(srcEnc)) gaps.push(`encryption at rest is ${String(bEnc ?? 'undeclared')} (source: ${String(srcEnc)})`);
    if (src('encryption.key') === 'customer-managed' && dst('encryption.key') !== 'customer-managed') {
      gaps.push(`key is ${String(dst('encryption.key') ?? 'undeclared')} (source: customer-managed)`);
    }
    if (dst('public_access') === 'allowed') gaps.push('public access is allowed');
    for (const k of ['unique_user_ids', 'mfa', 'rbac']) {
      const b = dst(`access.${k}`);
      if (src(`access.${k}`) === true && b !== true) gaps.push(`access.${k} is ${String(b ?? 'undeclared')} (source: true)`);
    }
    return gaps.length === 0 ? pass({ backup: backup.id }) : fail('weaker', { backup: backup.id, gaps: gaps.join('; ') });
  },
});
