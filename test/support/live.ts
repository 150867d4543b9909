/** The CLI as a child process against the local AWS server (which runs in the test's own process, so never spawnSync). */
import { spawn } from 'node:child_process';
import { CLI, type CliResult, ROOT } from './cli.js';

export async function cliAsync(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult & { ms: number }> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
  // No real AWS setting of the machine may leak in: only what the test gives.
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_') && !(options.env && k in options.env)) delete env[k];
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const started = performance.now();
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** The parts of a JSON report the live tests read. */
export interface Ev {
  subject: string;
  field: string;
  provenance: string;
  declared?: unknown;
  observed?: unknown;
  source?: string;
  error?: string;
}
export interface JsonReport {
  findings: { id: string; rule: string; status: string; severity: string; message: string; cite: string[]; evidence: Ev[] }[];
  live?: {
    provider: string;
    from: string;
    accounts: { id: string; account_id?: string; role_arn?: string }[];
    calls: number;
    unavailable: { subject: string; field: string; error: string }[];
    started: string;
    finished: string;
  };
}
