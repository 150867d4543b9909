/** Every environment variable phi-audit reads, read in this one place and only when a command runs. */
import { DEFAULT_LIMITS, type InputLimits, LIMIT_UNITS, LIMIT_VARIABLES } from '../source/limits.js';

export interface CliEnv {
  /** NO_COLOR set and not empty (https://no-color.org). */
  readonly noColor: boolean;
  /** FORCE_COLOR set and not "0". */
  readonly forceColor: boolean;
  /** PHI_AUDIT_DEBUG: print a stack trace with an internal error. */
  readonly debug: boolean;
  /** PHI_AUDIT_TIMING: print each stage's time and memory to stderr. */
  readonly timing: boolean;
  /** PHI_AUDIT_MAX_FILE_MB, PHI_AUDIT_MAX_TOTAL_MB, PHI_AUDIT_MAX_LINE_KB, PHI_AUDIT_MAX_ALIAS_NODES over the defaults. */
  readonly limits: InputLimits;
  /** GITHUB_STEP_SUMMARY: the file a GitHub Actions step's Markdown summary is appended to. */
  readonly githubStepSummary?: string | undefined;
  /** PHI_AUDIT_SARIF_MAX_RESULTS: the most results a SARIF run holds (default GitHub's 25,000). */
  readonly sarifMaxResults?: number | undefined;
  /** A limit variable that is no positive number: `[variable, message]`, reported as an input problem. */
  readonly problems: readonly (readonly [string, string])[];
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  return {
    noColor: set('NO_COLOR'),
    forceColor: env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0',
    debug: set('PHI_AUDIT_DEBUG'),
    timing: set('PHI_AUDIT_TIMING'),
    ...(set('GITHUB_STEP_SUMMARY') ? { githubStepSummary: env.GITHUB_STEP_SUMMARY } : {}),
    ...withSarifMax(readLimits(env), env.PHI_AUDIT_SARIF_MAX_RESULTS),
  };
}

/** The AWS_* variables (endpoints, region, profile) the live checks hand to the SDK clients they make. */
export function awsEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('AWS_')));
}

/**
 * The AWS SDK warns on Node 20 that its releases after January 2027 will need Node 22: a note for us, not for the
 * person running a scan. Turned off unless they set the variable themselves.
 */
export function quietAwsSdk(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

function withSarifMax<T extends { problems: (readonly [string, string])[] }>(read: T, raw: string | undefined): T & { sarifMaxResults?: number } {
  if (raw === undefined || raw === '') return read;
  if (!/^\s*\d+\s*$/.test(raw) || !(Number(raw) > 0)) {
    read.problems.push(['PHI_AUDIT_SARIF_MAX_RESULTS', `must be a whole number above 0, not "${raw}"`]);
    return read;
  }
  return { ...read, sarifMaxResults: Number(raw) };
}

function readLimits(env: NodeJS.ProcessEnv): { limits: InputLimits; problems: (readonly [string, string])[] } {
  const limits: Record<keyof InputLimits, number> = { ...DEFAULT_LIMITS };
  const problems: (readonly [string, string])[] = [];
  for (const key of Object.keys(LIMIT_VARIABLES) as (keyof InputLimits)[]) {
    const name = LIMIT_VARIABLES[key];
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!/^\s*\d+(\.\d+)?\s*$/.test(raw) || !(value > 0)) problems.push([name, `must be a positive number, not "${raw}"`]);
    else limits[key] = Math.floor(value * LIMIT_UNITS[key]);
  }
  return { limits, problems };
}
