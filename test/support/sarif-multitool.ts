/**
 * Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool), the validator GitHub's SARIF documentation points to:
 * `validate --rule-kind Sarif` checks a log against the SARIF 2.1.0 schema and the specification's rules, and
 * `--rule-kind Gh` against what GitHub code scanning ingests. Each run writes its own SARIF log of what it found,
 * which is read back here.
 *
 * The .NET binary needs exec permission (npm can skip the package's postinstall chmod, and installs it executable by
 * its owner only): it is made executable here when it is not. DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 spares it
 * libicu, which slim CI images lack.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './cli.js';

export const MULTITOOL = path.join(ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');

export type RuleKind = 'Sarif' | 'Gh';

export interface ValidationIssue {
  readonly ruleId: string;
  readonly level: string;
  readonly message: string;
}

function executable(): void {
  try {
    accessSync(MULTITOOL, constants.X_OK);
  } catch {
    chmodSync(MULTITOOL, statSync(MULTITOOL).mode | 0o111);
  }
}

/** Validate one SARIF file with one rule kind; every issue the validator reports, with its level. */
export function validateSarif(file: string, kind: RuleKind): ValidationIssue[] {
  executable();
  const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-multitool-'));
  try {
    const out = path.join(dir, 'validation.sarif');
    const r = spawnSync(MULTITOOL, ['validate', '--rule-kind', kind, '--output', out, file], {
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1', HOME: process.env.HOME ?? dir },
      maxBuffer: 1 << 28,
    });
    if (r.error) throw r.error;
    let log: { runs: { results?: { ruleId: string; level?: string; message: { text?: string; id?: string; arguments?: string[] } }[] }[] };
    try {
      log = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      throw new Error(`SARIF Multitool wrote no log (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    const issues = log.runs.flatMap((run) => run.results ?? []);
    return issues.map((i) => ({
      ruleId: i.ruleId,
      level: i.level ?? 'warning',
      message: i.message.text ?? [i.message.id, ...(i.message.arguments ?? [])].join(' '),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The issues at level error, in both rule kinds: what a test expects to be empty. */
export function sarifErrors(file: string): ValidationIssue[] {
  return (['Sarif', 'Gh'] as const).flatMap((kind) => validateSarif(file, kind).filter((i) => i.level === 'error'));
}
