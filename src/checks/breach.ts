/**
 * Breach exposure: PHI that is "unsecured" in the sense of 45 CFR 164.402 and HHS's guidance (encrypted as NIST
 * describes, at rest and in transit). Its loss is presumed a breach that must be notified; secured PHI's is not.
 */
import { z } from 'zod';
import { defineCheck, fail, notApplicable, pass } from './define.js';
import type { CheckContext } from './types.js';

const AES = new Set(['aes-128', 'aes-192', 'aes-256']);
/** TLS versions NIST SP 800-52 no longer approves, and no transport encryption at all. */
const WEAK_TLS = new Set(['none', '1.0', '1.1']);
/** At this many individuals HHS is told within 60 days rather than in the annual log (164.408(b), (c)). */
const LARGE_BREACH = 500;

// The wording depends only on the record count, and a large map repeats it on thousands of targets: say it once.
const worded = new Map<unknown, string>();

/** What a breach of this PHI would set off, worded from the target's declared `records`. */
function exposure(ctx: CheckContext, id: string): string {
  const records = ctx.fact(id, 'records').value;
  const key = typeof records === 'number' ? records : undefined;
  let text = worded.get(key);
  if (text === undefined) {
    text = exposureText(key);
    if (worded.size < 10_000) worded.set(key, text);
  }
  return text;
}

function exposureText(records: number | undefined): string {
  const presumption =
    'Its loss would be presumed a breach unless a risk assessment of the four factors in 164.402(2) shows a low probability that the PHI was compromised';
  if (typeof records === 'number' && records < LARGE_BREACH) {
    return `${presumption}; for ${records} individuals that means notice to each within 60 days (164.404) and an entry in the annual log of breaches under 500 sent to HHS (164.408(c)).`;
  }
  const count =
    typeof records === 'number' ? `${records} individuals` : 'an undeclared number of individuals (treated as 500 or more until records is declared)';
  return (
    `${presumption}; for ${count} that means notice to each within 60 days (164.404), to HHS within 60 days (164.408(b)), ` +
    'and to prominent media where more than 500 residents of one State or jurisdiction are affected (164.406).'
  );
}

export const unsecuredPhi = defineCheck({
  name: 'unsecured-phi',
  description:
    'fails when PHI is unsecured: a store or log that allows public access (whatever its encryption) or is not AES-encrypted at rest, or a flow over TLS older than 1.2 or none; `missing` when a store or log declares no encryption at rest',
  targets: ['store', 'log', 'flow'],
  options: z.strictObject({}),
  run(target, _o, ctx) {
    if (target.type === 'flow') {
      if (ctx.fact(target.id, 'transport').value === 'local') return notApplicable;
      const tls = ctx.fact(target.id, 'tls').value;
      // An undeclared TLS version is transmission-tls's finding; only a declared weak one is known exposure.
      if (typeof tls !== 'string' || !WEAK_TLS.has(tls)) return tls === undefined ? notApplicable : pass();
      return fail('in-transit', { value: tls === 'none' ? 'no encryption' : `TLS ${tls}`, exposure: exposure(ctx, target.id) });
    }
    if (ctx.fact(target.id, 'public_access').value === 'allowed') return fail('public', { exposure: exposure(ctx, target.id) });
    const atRest = ctx.fact(target.id, 'encryption.at_rest').value;
    if (typeof atRest === 'string' && AES.has(atRest)) return pass();
    if (atRest === undefined) return fail('missing', { field: 'encryption.at_rest', value: 'undeclared', exposure: exposure(ctx, target.id) });
    return fail('unencrypted', { value: String(atRest), exposure: exposure(ctx, target.id) });
  },
});
