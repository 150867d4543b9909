/**
 * `.phi-audit.yaml`: scan settings kept beside the map, keys named as the flags (`fail-on: medium`, `format: [text,
 * sarif=phi.sarif]`). A flag given on the command line wins over the file, the file over the default. The file is
 * looked for beside the map (the folder of the first path given, or that folder itself), then in the working folder;
 * `--config FILE` names one, `--no-config` reads none. Paths in it (rules, baseline, report files) are relative to
 * the file's folder. It is validated with positions like a map, and recorded as an input, so no report overwrites it.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../rules/schema.js';
import { type Diagnostic, formatLocation, noPosition } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { readRegularFile } from '../source/files.js';
import { issuesToDiagnostics } from '../source/issues.js';
import { displayPath } from '../source/names.js';
import { locate, type SourceFile } from '../source/positions.js';
import { parseYaml } from '../source/yaml.js';

export const CONFIG_FILE_NAME = '.phi-audit.yaml';

const FAIL_ON = [...SEVERITIES, 'none'] as const;
const oneOrMany = z.union([z.string(), z.array(z.string())]);

export const ConfigFile = z.strictObject({
  format: oneOrMany.optional().describe('FORMAT or FORMAT=FILE, or a list of them (as -f)'),
  output: z.string().optional().describe('the file the one format without =FILE is written to (as -o)'),
  'fail-on': z.enum(FAIL_ON).optional(),
  'as-of': z.string().optional().describe('YYYY-MM-DD'),
  rules: oneOrMany.optional().describe('folders of your own rules'),
  baseline: z.string().optional().describe('a baseline file: only findings it does not record fail the run'),
  'min-severity': z.enum(SEVERITIES).optional().describe('the least severe findings shown (the exit code still follows fail-on)'),
  compact: z.boolean().optional(),
  quiet: z.boolean().optional(),
  color: z.boolean().optional(),
  'sarif-category': z.string().optional(),
});

export type ConfigKey = keyof z.infer<typeof ConfigFile>;

export interface LoadedConfig {
  /** As shown to the user (relative to the working folder when inside it). */
  readonly file: string;
  /** The folder relative paths in it are resolved against. */
  readonly dir: string;
  readonly values: z.infer<typeof ConfigFile>;
  /** `file:line:column` of each key's value. */
  where(key: ConfigKey): string;
}

export type ConfigRead = { ok: true; config: LoadedConfig | undefined } | { ok: false; diagnostics: Diagnostic[] };

/** Where `.phi-audit.yaml` is looked for: beside the map the paths name, then the working folder. */
function candidates(paths: readonly string[], cwd: string): string[] {
  const dirs: string[] = [];
  const first = paths[0];
  if (first !== undefined && !/[*?[\]{}]/.test(first)) {
    const abs = path.resolve(cwd, first);
    try {
      dirs.push(statSync(abs).isDirectory() ? abs : path.dirname(abs));
    } catch {
      // A path that does not exist is the map loader's to report.
    }
  }
  dirs.push(cwd);
  return [...new Set(dirs)].map((d) => path.join(d, CONFIG_FILE_NAME));
}

/**
 * The config for a scan: `--config FILE` when given (it must exist), else the first `.phi-audit.yaml` found, else none.
 * `explicit === false` (`--no-config`) reads nothing.
 */
export function loadConfig(paths: readonly string[], explicit: string | false | undefined, cwd = process.cwd()): ConfigRead {
  if (explicit === false) return { ok: true, config: undefined };
  let file: string | undefined;
  if (explicit !== undefined) file = path.resolve(cwd, explicit);
  else file = candidates(paths, cwd).find((f) => existsSync(f));
  if (file === undefined) return { ok: true, config: undefined };
  const shown = explicit ?? displayPath(file, cwd);
  const read = readRegularFile(file, 'config file');
  if (!read.ok) return { ok: false, diagnostics: [noPosition(shown, `${explicit !== undefined ? '--config: ' : ''}${read.message}`)] };
  const parsed = parseYaml(shown, read.text, 'a phi-audit config file');
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const checked = ConfigFile.safeParse(parsed.value);
  if (!checked.success) return { ok: false, diagnostics: issuesToDiagnostics(parsed.source, ConfigFile, parsed.value, checked.error.issues) };
  const source: SourceFile = parsed.source;
  return {
    ok: true,
    config: {
      file: shown,
      dir: path.dirname(file),
      values: checked.data,
      where: (key) => formatLocation(locate({ source, path: [key] }, 'value')),
    },
  };
}

/** A setting's value and where it came from: `--fail-on`, `.phi-audit.yaml:3:10`, or `default`. */
export interface Setting<T> {
  readonly value: T;
  readonly from: string;
}

/** One requested report: a format, and the file it goes to (undefined: standard output). */
export interface OutputSpec {
  readonly format: string;
  readonly file?: string | undefined;
  readonly from: string;
}

/** What the scan flags say, before the config file fills the gaps (undefined = not given on the command line). */
export interface ScanFlagValues {
  format?: string[] | undefined;
  output?: string | undefined;
  failOn?: Severity | 'none' | undefined;
  asOf?: string | undefined;
  rules?: string[] | undefined;
  baseline?: string | undefined;
  writeBaseline?: string | undefined;
  minSeverity?: Severity | undefined;
  compact?: boolean | undefined;
  quiet?: boolean | undefined;
  color?: boolean | undefined;
  sarifCategory?: string | undefined;
}

export interface ScanSettings {
  readonly outputs: readonly OutputSpec[];
  readonly failOn: Setting<Severity | 'none'>;
  readonly asOf?: Setting<string> | undefined;
  readonly rules: Setting<readonly string[]>;
  readonly baseline?: Setting<string> | undefined;
  readonly writeBaseline?: Setting<string> | undefined;
  readonly minSeverity?: Setting<Severity> | undefined;
  readonly compact: Setting<boolean>;
  readonly quiet: Setting<boolean>;
  readonly color?: Setting<boolean> | undefined;
  readonly sarifCategory?: Setting<string> | undefined;
  readonly config?: string | undefined;
}

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/**
 * The effective settings: each flag given on the command line, else the config file's value (paths made relative to
 * the working folder from the file's folder), else the default. Problems (two formats to standard output, an --output
 * with nothing to take it) are diagnostics.
 */
export function resolveSettings(
  flags: ScanFlagValues,
  config: LoadedConfig | undefined,
  cwd = process.cwd(),
): { settings: ScanSettings; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fromConfig = <T>(key: ConfigKey, value: T | undefined): Setting<T> | undefined =>
    value === undefined || config === undefined ? undefined : { value, from: config.where(key) };
  const pick = <T>(flag: string, cli: T | undefined, key: ConfigKey, conf: T | undefined): Setting<T> | undefined =>
    cli !== undefined ? { value: cli, from: flag } : fromConfig(key, conf);
  // A path in the config file is relative to the file's folder; shown relative to the working folder.
  const confPath = (p: string): string => (config === undefined ? p : displayPath(path.resolve(config.dir, p), cwd));
  const v = config?.values ?? {};

  const rulesConf = list(v.rules)?.map(confPath);
  const rules = flags.rules !== undefined && flags.rules.length > 0 ? { value: flags.rules, from: '--rules' } : fromConfig('rules', rulesConf);

  // Report outputs: -f FORMAT[=FILE] (repeatable), or the config's format list, or text to standard output.
  const cliFormats = flags.format !== undefined && flags.format.length > 0 ? flags.format : undefined;
  const confFormats = list(v.format);
  const specs: { text: string; from: string; inConfig: boolean }[] = cliFormats
    ? cliFormats.map((text) => ({ text, from: '-f', inConfig: false }))
    : confFormats
      ? confFormats.map((text) => ({ text, from: config!.where('format'), inConfig: true }))
      : [{ text: 'text', from: 'default', inConfig: false }];
  const outputs: OutputSpec[] = specs.map((s) => {
    const eq = s.text.indexOf('=');
    if (eq < 0) return { format: s.text.trim(), from: s.from };
    const file = s.text.slice(eq + 1);
    return { format: s.text.slice(0, eq).trim(), file: s.inConfig ? confPath(file) : file, from: s.from };
  });
  for (const o of outputs)
    if (o.file === '') diagnostics.push(noPosition(o.from, `-f ${o.format}=: give the file after the =, or write -f ${o.format} for standard output`));
  const output = pick('--output', flags.output, 'output', v.output !== undefined ? confPath(v.output) : undefined);
  if (output !== undefined) {
    const open = outputs.filter((o) => o.file === undefined);
    if (open.length === 1) {
      const i = outputs.indexOf(open[0]!);
      outputs[i] = { ...open[0]!, file: output.value };
    } else if (open.length === 0) {
      diagnostics.push(noPosition(output.from, `--output ${output.value}: every format already names its file (FORMAT=FILE); drop --output`));
    } else {
      diagnostics.push(
        noPosition(
          output.from,
          `--output names one file but ${open.length} formats have none (${open.map((o) => o.format).join(', ')}): write FORMAT=FILE for each`,
        ),
      );
    }
  }
  const toStdout = outputs.filter((o) => o.file === undefined);
  if (toStdout.length > 1) {
    diagnostics.push(
      noPosition(
        '-f',
        `${toStdout.map((o) => o.format).join(' and ')} would all write to standard output: give all but one a file, e.g. -f ${toStdout[1]!.format}=report.${toStdout[1]!.format}`,
      ),
    );
  }
  const byFile = new Map<string, OutputSpec>();
  for (const o of outputs) {
    if (o.file === undefined) continue;
    const key = path.resolve(cwd, o.file);
    const prev = byFile.get(key);
    if (prev) diagnostics.push(noPosition(o.file, `-f: ${prev.format} and ${o.format} would both be written to ${o.file}: give each its own file`));
    else byFile.set(key, o);
  }

  const optional = <T>(s: Setting<T> | undefined) => s;
  const settings: ScanSettings = {
    outputs,
    failOn: pick('--fail-on', flags.failOn, 'fail-on', v['fail-on']) ?? { value: 'high', from: 'default' },
    asOf: optional(pick('--as-of', flags.asOf, 'as-of', v['as-of'])),
    rules: rules ?? { value: [], from: 'default' },
    baseline: optional(pick('--baseline', flags.baseline, 'baseline', v.baseline !== undefined ? confPath(v.baseline) : undefined)),
    writeBaseline: flags.writeBaseline !== undefined ? { value: flags.writeBaseline, from: '--write-baseline' } : undefined,
    minSeverity: optional(pick('--min-severity', flags.minSeverity, 'min-severity', v['min-severity'])),
    compact: pick('--compact', flags.compact, 'compact', v.compact) ?? { value: false, from: 'default' },
    quiet: pick('--quiet', flags.quiet, 'quiet', v.quiet) ?? { value: false, from: 'default' },
    color: optional(pick(flags.color === false ? '--no-color' : '--color', flags.color, 'color', v.color)),
    sarifCategory: optional(pick('--sarif-category', flags.sarifCategory, 'sarif-category', v['sarif-category'])),
    config: config?.file,
  };
  return { settings, diagnostics };
}

/** `--show-config`: each effective setting, one a line, with where it came from. */
export function describeSettings(s: ScanSettings): string {
  const lines: string[] = [escapeTerminal(`config file:    ${s.config ?? '(none)'}`)];
  const row = (key: string, value: string, from: string) => lines.push(escapeTerminal(`${`${key}:`.padEnd(16)}${value.padEnd(28)} (${from})`));
  for (const o of s.outputs) row('format', `${o.format}${o.file !== undefined ? `=${o.file}` : ' (stdout)'}`, o.from);
  row('fail-on', s.failOn.value, s.failOn.from);
  row('as-of', s.asOf?.value ?? 'today (UTC)', s.asOf?.from ?? 'default');
  row('rules', s.rules.value.length > 0 ? s.rules.value.join(', ') : 'built-in only', s.rules.from);
  row('baseline', s.baseline?.value ?? 'none', s.baseline?.from ?? 'default');
  if (s.writeBaseline) row('write-baseline', s.writeBaseline.value, s.writeBaseline.from);
  row('min-severity', s.minSeverity?.value ?? 'info (all shown)', s.minSeverity?.from ?? 'default');
  row('compact', String(s.compact.value), s.compact.from);
  row('quiet', String(s.quiet.value), s.quiet.from);
  row('color', s.color === undefined ? 'when a terminal' : String(s.color.value), s.color?.from ?? 'default');
  row('sarif-category', s.sarifCategory?.value ?? 'none', s.sarifCategory?.from ?? 'default');
  return `${lines.join('\n')}\n`;
}
