import path from 'node:path';
import { InputError, noPosition } from '../source/diagnostics.js';
import type { Format } from '../format/index.js';
import { loadFormatter } from '../format/load.js';
import { loadMap } from '../map/load.js';
import { loadRules } from '../rules/load.js';
import { isCalendarDate } from '../map/schema.js';
import type { Severity } from '../rules/schema.js';
import { scanMap } from '../audit.js';
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
  if (!isCalendarDate(value)) throw new InputError([noPosition(flag, `"${value}" is not a date: write YYYY-MM-DD, e.g. ${new Date().toISOString().slice(0, 10)}`)]);
  return value;
}

// PHI_AUDIT_TIMING=1 prints how long each stage took, to stderr.
const timing = process.env.PHI_AUDIT_TIMING ? (label: string, since: number) => process.stderr.write(`timing: ${label} ${(performance.now() - since).toFixed(0)} ms, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB\n`) : () => {};

export async function scanCommand(paths: string[], flags: ScanFlags): Promise<number> {
  let t = performance.now();
  const asOf = flags.asOf !== undefined ? checkDate(flags.asOf, '--as-of') : undefined;
  // Map and rule problems are reported together, so one run shows everything to fix.
  let map, rules;
  const problems: InputError[] = [];
  try {
    map = loadMap(paths);
    timing('load map', t);
    t = performance.now();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(e);
  }
  try {
    rules = loadRules(flags.rules);
    timing('load rules', t);
    t = performance.now();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(e);
  }
  if (problems.length > 0 || !map || !rules) throw new InputError(problems.flatMap((p) => p.diagnostics));
  // Never write a report over the map it describes.
  if (flags.output !== undefined) {
    const out = path.resolve(flags.output);
    const clash = map.files.find((f) => path.resolve(f) === out);
    if (clash) throw new InputError([noPosition(flags.output, `--output would overwrite the map file ${clash}: write the report somewhere else`)]);
  }
  const result = scanMap(map, rules, { failOn: flags.failOn, ...(asOf ? { asOf } : {}) });
  timing('propagate and evaluate', t);
  t = performance.now();
  // Formatting is lazy: pieces are made as they are written.
  const format = await loadFormatter(flags.format);
  emit(format(result, { color: useColor(flags.color, flags.output !== undefined), rules }), flags.output);
  timing('format and write', t);
  if (flags.output !== undefined) {
    const s = result.summary;
    process.stderr.write(`phi-audit: ${s.findings} findings (${s.blocking} at or above --fail-on ${s.fail_on}) written to ${flags.output}\n`);
  }
  return result.summary.blocking > 0 ? 1 : 0;
}
