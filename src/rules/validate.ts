/**
 * What a rule file's schema cannot say alone, checked as strictly as a map is: a rule that names a kind its targets
 * never have, or a field or value no map can declare, would apply to nothing or pass everywhere (fail open), so each
 * is an error at its position, with a "did you mean" where one is close.
 */
import type { CheckFunction } from '../checks/types.js';
import { fieldChoices, fieldHolds, fieldPaths, fieldSchema, isNumberField, isRecordType } from '../map/fields.js';
import { LOG_KINDS, STORE_KINDS } from '../map/schema.js';
import type { Diagnostic } from '../source/diagnostics.js';
import { formatPath, locate, type SourceFile, type YamlPath } from '../source/positions.js';
import { closest } from '../source/suggest.js';
import type { RuleSpec } from './schema.js';

/** `a store`, `a service, store or log`. */
function targetList(targets: readonly string[]): string {
  const list = [...new Set(targets)];
  const head = list.slice(0, -1).join(', ');
  return `${/^[aeiou]/.test(list[0] ?? '') ? 'an' : 'a'} ${head ? `${head} or ${list[list.length - 1]}` : list[0]}`;
}

const KIND_TYPE = new Map<string, 'store' | 'log'>([...STORE_KINDS.map((k) => [k, 'store'] as const), ...LOG_KINDS.map((k) => [k, 'log'] as const)]);

/**
 * `applies_to.kinds` and `exclude_kinds`: each a store or log kind of the map (a misspelling would make the rule apply
 * to nothing), of a type the rule targets, and `kinds` neither empty nor beside targets that have no kind.
 */
export function appliesToDiagnostics(source: SourceFile, rule: RuleSpec): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { targets, kinds } = rule.applies_to;
  const report = (path: YamlPath, message: string) => out.push({ ...locate({ source, path }, 'value'), message });
  if (kinds?.length === 0) report(['applies_to', 'kinds'], 'applies_to.kinds is empty, so the rule would apply to nothing: list kinds, or leave the key out');
  else if (kinds) {
    // Only stores and logs have a kind: a rule limited to kinds never checks anything else it targets.
    const kindless = targets.filter((t) => t !== 'store' && t !== 'log');
    if (kindless.length > 0) {
      report(
        ['applies_to', 'kinds'],
        `applies_to.kinds limits the rule to stores and logs of those kinds, so its ${kindless.join(', ')} targets would never be checked: drop kinds, or give them a rule of their own`,
      );
    }
  }
  for (const key of ['kinds', 'exclude_kinds'] as const) {
    (rule.applies_to[key] ?? []).forEach((kind, i) => {
      const label = `applies_to.${key}[${i}]`;
      const type = KIND_TYPE.get(kind);
      if (type === undefined) {
        const hint = closest(kind, [...KIND_TYPE.keys()]);
        report(
          ['applies_to', key, i],
          `${label} ${JSON.stringify(kind)} is not a store or log kind${hint ? `: did you mean "${hint}"?` : ''} (store kinds: ${STORE_KINDS.join(', ')}; log kinds: ${LOG_KINDS.join(', ')})`,
        );
      } else if (!targets.includes(type)) {
        report(
          ['applies_to', key, i],
          `${label} "${kind}" is a ${type} kind, but the rule's targets (${targets.join(', ')}) include no ${type}: add ${type} to targets or remove the kind`,
        );
      } else if (key === 'exclude_kinds' && kinds?.includes(kind)) {
        report(['applies_to', key, i], `${label} "${kind}" is also in applies_to.kinds: a kind is either checked or not`);
      }
    });
  }
  return out;
}

/**
 * A check's field (`field: encryption.at_rest`) must be one a map declares on at least one of the targets it runs
 * on, and the values it is compared with must be ones that field can hold; `options` have passed the function's
 * own schema.
 */
export function fieldDiagnostics(
  source: SourceFile,
  fn: CheckFunction<unknown>,
  options: Readonly<Record<string, unknown>>,
  at: YamlPath,
  targets: readonly string[],
): Diagnostic[] {
  const roles = fn.fields;
  const field = roles ? options[roles.field] : undefined;
  if (!roles || typeof field !== 'string') return [];
  const report = (path: YamlPath, message: string): Diagnostic[] => [{ ...locate({ source, path: [...at, 'options', ...path] }, 'value'), message }];
  const applicable = targets.filter((t) => (fn.targets as readonly string[]).includes(t));
  // A target the map's record schemas do not describe cannot be checked here: the rule is taken as written.
  if (!applicable.every(isRecordType)) return [];
  const types = applicable;
  const schemas = types.flatMap((t) => {
    const s = fieldSchema(t, field);
    return s ? [s] : [];
  });
  if (schemas.length === 0) {
    const hint = closest(field, [...new Set(types.flatMap(fieldPaths))]);
    return report(
      [roles.field],
      `${formatPath([...at, 'options', roles.field])} "${field}" is not a field of ${targetList(types)} in a PHI map${hint ? `: did you mean "${hint}"?` : ''}`,
    );
  }
  if (roles.number && !schemas.some(isNumberField)) {
    const numbers = [...new Set(types.flatMap((t) => fieldPaths(t).filter((p) => isNumberField(fieldSchema(t, p)!))))];
    return report(
      [roles.field],
      `${formatPath([...at, 'options', roles.field])} "${field}" does not hold a number, so ${fn.name} can never pass${numbers.length > 0 ? `: compare one that does (${numbers.join(', ')})` : ''}`,
    );
  }
  if (!roles.value) return [];
  const given = options[roles.value.option];
  const values = roles.value.list ? (Array.isArray(given) ? given : []) : [given];
  const out: Diagnostic[] = [];
  values.forEach((v, i) => {
    if (v === undefined || schemas.some((s) => fieldHolds(s, v))) return;
    const choices = [...new Set(schemas.flatMap((s) => fieldChoices(s) ?? []))];
    // Hints compare as text, and name the value as it should be written: `1.2` gets "1.2", `"true"` gets true.
    const written = new Map(choices.map((c) => [String(c), JSON.stringify(c)]));
    const near = typeof v === 'string' || typeof v === 'number' ? closest(String(v), [...written.keys()]) : undefined;
    const hint = near === undefined ? undefined : written.get(near);
    const path = roles.value!.list ? [roles.value!.option, i] : [roles.value!.option];
    out.push(
      ...report(
        path,
        `${formatPath([...at, 'options', ...path])} ${JSON.stringify(v)} is not a value "${field}" can hold, so it never matches${choices.length > 0 ? `: use one of ${choices.map((c) => JSON.stringify(c)).join(', ')}` : ''}${hint ? ` (did you mean ${hint}?)` : ''}`,
      ),
    );
  });
  return out;
}
