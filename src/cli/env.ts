/** Every environment variable phi-audit reads, read in this one place and only when a command runs. */
export interface CliEnv {
  /** NO_COLOR set and not empty (https://no-color.org). */
  readonly noColor: boolean;
  /** FORCE_COLOR set and not "0". */
  readonly forceColor: boolean;
  /** PHI_AUDIT_DEBUG: print a stack trace with an internal error. */
  readonly debug: boolean;
  /** PHI_AUDIT_TIMING: print each stage's time and memory to stderr. */
  readonly timing: boolean;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  return {
    noColor: set('NO_COLOR'),
    forceColor: env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0',
    debug: set('PHI_AUDIT_DEBUG'),
    timing: set('PHI_AUDIT_TIMING'),
  };
}
