/** `phi-audit iam-policy`: the read-only IAM policy for exactly the calls the live checks make (enrich/aws/calls.ts). */
import { CALLS, type CallSpec, iamPolicy } from '../enrich/aws/calls.js';
import { EXIT, type ExitCode } from './exit.js';

export function iamPolicyCommand(opts: { explain?: boolean; discover?: boolean }): ExitCode {
  const options = { discover: opts.discover === true };
  if (!opts.explain) {
    process.stdout.write(`${JSON.stringify(iamPolicy(options), null, 2)}\n`);
    return EXIT.clean;
  }
  // One line per permission: what the scanner uses it for.
  const why = new Map<string, string[]>();
  for (const spec of Object.values(CALLS) as CallSpec[]) {
    if (!spec.permission || (spec.discoverOnly && !options.discover)) continue;
    const list = why.get(spec.permission) ?? [];
    list.push(spec.why);
    why.set(spec.permission, list);
  }
  const width = Math.max(...[...why.keys()].map((k) => k.length));
  for (const [perm, reasons] of [...why].sort(([a], [b]) => a.localeCompare(b))) process.stdout.write(`${perm.padEnd(width)}  ${reasons.join('; ')}\n`);
  process.stdout.write(
    `\nsts:GetCallerIdentity needs no permission. Accounts with role_arn: the identity you start from needs sts:AssumeRole on those roles, and each role this policy.\n`,
  );
  return EXIT.clean;
}
