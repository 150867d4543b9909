/** Load and validate rule files: built-in ones plus any `--rules DIR` a team adds. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { FUNCTIONS, nestedChecks } from '../checks/index.js';
import { builtinRulesDir } from '../package.js';
import { type Diagnostic, InputError, noPosition, sortDiagnostics } from '../source/diagnostics.js';
import { issuesToDiagnostics } from '../source/issues.js';
import { displayPath } from '../source/names.js';
import { locate, type SourceFile, type YamlPath } from '../source/positions.js';
import { closest } from '../source/suggest.js';
import { parseYaml } from '../source/yaml.js';
import { readPack } from './pack.js';
import { type CheckSpec, type LoadedRule, RuleSchema } from './schema.js';

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
  diagnostics.push(...checkDiagnostics(source, rule.check, ['check'], targets));
  if (rule.applies_to.when) diagnostics.push(...checkDiagnostics(source, rule.applies_to.when, ['applies_to', 'when'], targets));
  (rule.escalate ?? []).forEach((e, i) => {
    diagnostics.push(...checkDiagnostics(source, e.when, ['escalate', i, 'when'], targets));
  });
  if (typeof rule.message === 'object' && !('default' in rule.message) && !('fail' in rule.message)) {
    diagnostics.push({ ...locate({ source, path: ['message'] }), message: 'a message per reason needs a `default` entry for the reasons it does not name' });
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { rule: { ...rule, file: displayName, builtin }, source, diagnostics };
}

function ruleFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Built-in rules, then each extra folder's. Throws InputError listing every problem in every rule file. */
export function loadRules(extraDirs: readonly string[] = [], options: { builtin?: boolean; cwd?: string; usePack?: boolean } = {}): LoadedRule[] {
  const cwd = options.cwd ?? process.cwd();
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
      for (const f of ruleFilesIn(builtinRulesDir())) sources.push({ file: f, builtin: true });
    }
  }
  for (const dir of extraDirs) {
    const abs = path.resolve(cwd, dir);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      diagnostics.push(noPosition(dir, '--rules: no such folder'));
      continue;
    }
    if (!isDir) {
      diagnostics.push(noPosition(dir, '--rules takes a folder of rule files (*.yaml), not a file'));
      continue;
    }
    for (const f of ruleFilesIn(abs)) sources.push({ file: f, builtin: false });
  }
  for (const { file, builtin } of sources) {
    const name = builtin ? `rules/${path.basename(file)}` : displayPath(file, cwd);
    const r = parseRuleText(name, readFileSync(file, 'utf8'), builtin);
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
