/** Load and validate rule files: built-in ones plus any `--rules DIR` a team adds. */
import { type Dirent, readdirSync, realpathSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { FUNCTIONS, nestedChecks } from '../checks/index.js';
import { builtinRulesDir } from '../package.js';
import { type Diagnostic, InputError, noPosition, sortDiagnostics } from '../source/diagnostics.js';
import { describeKind, errnoText, lookAtFound, type OnWarning, readRegularFile, warnOnStderr } from '../source/files.js';
import { issuesToDiagnostics } from '../source/issues.js';
import { displayPath } from '../source/names.js';
import { locate, type SourceFile, type YamlPath } from '../source/positions.js';
import { closest } from '../source/suggest.js';
import { parseYaml } from '../source/yaml.js';
import { readPack } from './pack.js';
import { type CheckSpec, type LoadedRule, RuleSchema } from './schema.js';
import { appliesToDiagnostics, fieldDiagnostics } from './validate.js';

/** Validate a check (and any nested checks) against the named functions' option schemas. */
function checkDiagnostics(source: SourceFile, spec: CheckSpec, at: YamlPath, targets: readonly string[]): Diagnostic[] {
  const fn = FUNCTIONS.get(spec.function);
  if (!fn) {
    const hint = closest(spec.function, [...FUNCTIONS.keys()]);
    return [
      {
        ...locate({ source, path: [...at, 'function'] }),
        message: `unknown check function "${spec.function}"${hint ? `: did you mean "${hint}"?` : ''} (see \`phi-audit rules --functions\`)`,
      },
    ];
  }
  const out: Diagnostic[] = [];
  const unsupported = targets.filter((t) => !fn.targets.includes(t as never));
  if (unsupported.length > 0) {
    out.push({
      ...locate({ source, path: [...at, 'function'] }),
      message: `check function "${fn.name}" does not apply to ${unsupported.join(', ')} targets (it applies to ${fn.targets.join(', ')})`,
    });
  }
  const result = fn.options.safeParse(spec.options ?? {});
  if (!result.success) {
    out.push(...issuesToDiagnostics(source, fn.options as z.ZodType, spec.options ?? {}, result.error.issues, [...at, 'options']));
    return out;
  }
  out.push(...fieldDiagnostics(source, fn, spec.options ?? {}, at, targets));
  for (const { option, index, spec: inner, nested } of nestedChecks(fn, spec.options ?? {})) {
    const where = index === undefined ? [...at, 'options', option] : [...at, 'options', option, index];
    out.push(...checkDiagnostics(source, inner, where, nested.targets ?? targets));
  }
  return out;
}

export function parseRuleText(displayName: string, text: string, builtin: boolean): { rule?: LoadedRule; source?: SourceFile; diagnostics: Diagnostic[] } {
  const parsed = parseYaml(displayName, text, 'a rule file');
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const { source, value } = parsed;
  const Rule = RuleSchema();
  const result = Rule.safeParse(value);
  if (!result.success) return { diagnostics: issuesToDiagnostics(source, Rule, value, result.error.issues) };
  const rule = result.data;
  const diagnostics: Diagnostic[] = [];
  const stem = path.basename(displayName).replace(/\.ya?ml$/, '');
  if (stem !== rule.id) {
    diagnostics.push({ ...locate({ source, path: ['id'] }), message: `rule id "${rule.id}" must match its file name "${stem}"` });
  }
  const targets = rule.applies_to.targets;
  diagnostics.push(...appliesToDiagnostics(source, rule));
  diagnostics.push(...checkDiagnostics(source, rule.check, ['check'], targets));
  if (rule.applies_to.when) diagnostics.push(...checkDiagnostics(source, rule.applies_to.when, ['applies_to', 'when'], targets));
  (rule.escalate ?? []).forEach((e, i) => {
    diagnostics.push(...checkDiagnostics(source, e.when, ['escalate', i, 'when'], targets));
  });
  if (typeof rule.message === 'object' && !Object.hasOwn(rule.message, 'default') && !Object.hasOwn(rule.message, 'fail')) {
    diagnostics.push({ ...locate({ source, path: ['message'] }), message: 'a message per reason needs a `default` entry for the reasons it does not name' });
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { rule: { ...rule, file: displayName, builtin }, source, diagnostics };
}

/**
 * The rule files (*.yaml, *.yml) in `dir`, by name, read the way map folders are: regular files only, symbolic links
 * only to files inside the folder, and each file once. Anything else is skipped with a warning; a folder that cannot
 * be read is a problem naming it.
 */
function ruleFilesIn(dir: string, shown: string, problems: Diagnostic[], onWarning: OnWarning): string[] {
  let entries: Dirent[];
  let real: string;
  try {
    real = realpathSync(dir);
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    problems.push(noPosition(shown, `--rules: cannot read the folder: ${errnoText(err)}`));
    return [];
  }
  const files: string[] = [];
  const seen = new Set<string>();
  for (const e of entries.filter((x) => /\.ya?ml$/.test(x.name)).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
    const file = path.join(dir, e.name);
    const found = lookAtFound(file, e.isSymbolicLink(), real);
    if (found.kind === 'file') {
      const key = `${found.st.dev}:${found.st.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
      files.push(file);
    } else if (found.kind === 'unreadable') {
      problems.push(noPosition(path.join(shown, e.name), found.message));
    } else {
      onWarning(noPosition(path.join(shown, e.name), `warning: skipped: ${found.kind === 'folder' ? 'it is a folder, not a rule file' : found.reason}`));
    }
  }
  return files;
}

/** Built-in rules, then each extra folder's. Throws InputError listing every problem in every rule file. */
export function loadRules(
  extraDirs: readonly string[] = [],
  options: { builtin?: boolean; cwd?: string; usePack?: boolean; onWarning?: OnWarning } = {},
): LoadedRule[] {
  const cwd = options.cwd ?? process.cwd();
  const onWarning = options.onWarning ?? warnOnStderr;
  const sources: { file: string; builtin: boolean }[] = [];
  const diagnostics: Diagnostic[] = [];
  const rules: LoadedRule[] = [];
  const seen = new Map<string, string>();
  if (options.builtin !== false) {
    const pack = options.usePack === false ? undefined : readPack();
    if (pack) {
      for (const r of pack.rules) {
        rules.push(r);
        seen.set(r.id, r.file);
      }
    } else {
      const dir = builtinRulesDir();
      for (const f of ruleFilesIn(dir, dir, diagnostics, onWarning)) sources.push({ file: f, builtin: true });
    }
  }
  for (const dir of extraDirs) {
    const abs = path.resolve(cwd, dir);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      diagnostics.push(noPosition(dir, code === 'ENOENT' ? '--rules: no such folder' : `--rules: cannot read it: ${errnoText(err)}`));
      continue;
    }
    if (!st.isDirectory()) {
      diagnostics.push(noPosition(dir, `--rules takes a folder of rule files (*.yaml), not ${st.isFile() ? 'a file' : describeKind(st)}`));
      continue;
    }
    for (const f of ruleFilesIn(abs, dir, diagnostics, onWarning)) sources.push({ file: f, builtin: false });
  }
  for (const { file, builtin } of sources) {
    const name = builtin ? `rules/${path.basename(file)}` : displayPath(file, cwd);
    const read = readRegularFile(file, 'rule file');
    if (!read.ok) {
      diagnostics.push(noPosition(name, read.message));
      continue;
    }
    const r = parseRuleText(name, read.text, builtin);
    diagnostics.push(...r.diagnostics);
    if (!r.rule) continue;
    const prev = seen.get(r.rule.id);
    if (prev) {
      const at = r.source ? locate({ source: r.source, path: ['id'] }) : { file: name, line: 1, column: 1 };
      diagnostics.push({ ...at, message: `duplicate rule id "${r.rule.id}": also defined in ${prev}; give a team rule an id of its own` });
      continue;
    }
    seen.set(r.rule.id, name);
    rules.push(r.rule);
  }
  if (diagnostics.length > 0) throw new InputError(sortDiagnostics(diagnostics));
  return rules;
}
