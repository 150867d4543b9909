import { InputError, noPosition } from '../load/diagnostics.js';
import { FORMATTERS, type Format } from '../format/index.js';
import { loadMap } from '../load/load.js';
import { loadRules } from '../rules/load.js';
import type { Severity } from '../rules/schema.js';
import { scanMap } from '../scan.js';
import { emit, useColor } from './output.js';

export interface ScanFlags {
  format: Format;
  output?: string;
  failOn: Severity | 'none';
  asOf?: string;
  rules: string[];
  color?: boolean;
}

export function checkDate(value: string, flag: string): string {
  const time = Date.parse(`${value}T00:00:00Z`);
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
  if (!ok) throw new InputError([noPosition(flag, `"${value}" is not a date: write YYYY-MM-DD, e.g. ${new Date().toISOString().slice(0, 10)}`)]);
  return value;
}

export async function scanCommand(paths: string[], flags: ScanFlags): Promise<number> {
  const asOf = flags.asOf !== undefined ? checkDate(flags.asOf, '--as-of') : undefined;
  // Map and rule problems are reported together, so one run shows everything to fix.
  let map, rules;
  const problems: InputError[] = [];
  try {
    map = loadMap(paths);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(e);
  }
  try {
    rules = loadRules(flags.rules);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(e);
  }
  if (problems.length > 0 || !map || !rules) throw new InputError(problems.flatMap((p) => p.diagnostics));
  const result = scanMap(map, rules, { failOn: flags.failOn, ...(asOf ? { asOf } : {}) });
  const text = FORMATTERS[flags.format](result, { color: useColor(flags.color, flags.output !== undefined), rules });
  emit(text, flags.output);
  if (flags.output !== undefined) {
    const s = result.summary;
    process.stderr.write(`phi-audit: ${s.findings} findings (${s.blocking} at or above --fail-on ${s.fail_on}) written to ${flags.output}\n`);
  }
  return result.summary.blocking > 0 ? 1 : 0;
}
