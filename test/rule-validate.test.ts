/**
 * Rule files checked as strictly as maps (src/rules/validate.ts, src/map/fields.ts): kinds, fields and values a map
 * can never have are errors at their position, since each would make a rule apply to nothing or pass everywhere.
 */
import { describe, expect, it } from 'vitest';
import { fieldChoices, fieldHolds, fieldPaths, fieldSchema, isNumberField } from '../src/map/fields.js';
import { loadRules, parseRuleText } from '../src/rules/load.js';

function ruleText(appliesTo: string, check: string): string {
  return `id: team-x
title: A team rule
severity: high
cite:
  - { section: 164.312(b), standard: Audit controls, implementation: standard }
rationale: Why.
remediation: Fix it.
applies_to:
${appliesTo}
check: ${check}
message: "{target}: {value}"
`;
}

const problems = (appliesTo: string, check = '{ function: field-present, options: { field: kind } }') =>
  parseRuleText('team/team-x.yaml', ruleText(appliesTo, check), false).diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`);

describe('the map fields rules can name', () => {
  it('lists nested fields, and only a record’s own', () => {
    expect(fieldPaths('store')).toEqual(expect.arrayContaining(['kind', 'encryption', 'encryption.at_rest', 'access.mfa', 'public_access']));
    expect(fieldPaths('flow')).toEqual(expect.arrayContaining(['tls', 'on', 'data']));
    expect(fieldPaths('vendor')).toEqual(expect.arrayContaining(['baa.status', 'baa.services', 'plan']));
    for (const f of ['constructor', '__proto__', 'toString', 'encryption.constructor', 'data.length', 'kind.length', '']) {
      expect(fieldSchema('store', f), f).toBeUndefined();
    }
  });

  it('knows the values a field holds as written', () => {
    const tls = fieldSchema('flow', 'tls')!;
    expect(fieldHolds(tls, '1.2')).toBe(true);
    expect(fieldHolds(tls, 1.2)).toBe(false); // read as "1.2": never equal to the number
    expect(fieldChoices(tls)).toEqual(['none', '1.0', '1.1', '1.2', '1.3']);
    expect(fieldChoices(fieldSchema('store', 'versioning')!)).toEqual([true, false]);
    expect(fieldChoices(fieldSchema('store', 'description')!)).toBeUndefined();
    expect(isNumberField(fieldSchema('store', 'records')!)).toBe(true);
    expect(isNumberField(fieldSchema('store', 'kind')!)).toBe(false);
  });
});

describe('rule files checked as strictly as maps', () => {
  it('takes every built-in rule as it is', () => {
    expect(() => loadRules([], { usePack: false })).not.toThrow();
  });

  it('refuses a kind no map has, with a hint', () => {
    expect(problems('  targets: [store]\n  kinds: [databse]')).toEqual([
      '10:11: applies_to.kinds[0] "databse" is not a store or log kind: did you mean "database"? (store kinds: database, object-store, queue, dead-letter-queue, cache, filesystem, dataset, model, backup, device, removable-media; log kinds: application, audit, trace, metrics, error-tracking)',
    ]);
    expect(problems('  targets: [log]\n  exclude_kinds: [adit]')).toEqual([
      expect.stringMatching(/^10:19: applies_to\.exclude_kinds\[0\] "adit" is not a store or log kind: did you mean "audit"\?/),
    ]);
    expect(problems('  targets: [store]\n  kinds: []')).toEqual([
      '10:10: applies_to.kinds is empty, so the rule would apply to nothing: list kinds, or leave the key out',
    ]);
  });

  it('refuses kinds its targets never have', () => {
    expect(problems('  targets: [store, flow]\n  kinds: [database]')).toEqual([
      '10:10: applies_to.kinds limits the rule to stores and logs of those kinds, so its flow targets would never be checked: drop kinds, or give them a rule of their own',
    ]);
    expect(problems('  targets: [store]\n  kinds: [database, audit]')).toEqual([
      `10:21: applies_to.kinds[1] "audit" is a log kind, but the rule's targets (store) include no log: add log to targets or remove the kind`,
    ]);
    expect(problems('  targets: [store, log]\n  kinds: [database]\n  exclude_kinds: [database]')).toEqual([
      '11:19: applies_to.exclude_kinds[0] "database" is also in applies_to.kinds: a kind is either checked or not',
    ]);
    expect(problems('  targets: [store, log]\n  kinds: [database, audit]\n  exclude_kinds: [cache]')).toEqual([]);
  });

  it('refuses a field no target of the rule has, with a hint', () => {
    expect(problems('  targets: [service, log]', '{ function: field-equals, options: { field: acess.mfa, value: true } }')).toEqual([
      '10:52: check.options.field "acess.mfa" is not a field of a service or log in a PHI map: did you mean "access.mfa"?',
    ]);
    // A field some targets have is fine: the others do not declare it (`missing:` says what that means).
    expect(problems('  targets: [service, store]', '{ function: field-equals, options: { field: public_access, value: blocked, missing: pass } }')).toEqual([]);
  });

  it('checks a nested check’s field against the targets it runs on', () => {
    const check = '{ function: referenced-node, options: { field: audit_log, check: { function: field-equals, options: { field: retention, value: 1 } } } }';
    expect(problems('  targets: [service]', check)).toEqual([
      expect.stringMatching(/^10:\d+: check\.options\.check\.options\.field "retention" is not a field of a log or store in a PHI map$/),
    ]);
  });

  it('refuses a value the field cannot hold, and a number comparison on a field that is no number', () => {
    expect(problems('  targets: [store]', '{ function: field-in, options: { field: public_access, values: [blocked, "off"] } }')).toEqual([
      '10:81: check.options.values[1] "off" is not a value "public_access" can hold, so it never matches: use one of "blocked", "allowed"',
    ]);
    expect(problems('  targets: [store]', '{ function: field-equals, options: { field: versioning, value: "true" } }')).toEqual([
      expect.stringMatching(
        /^10:\d+: check\.options\.value "true" is not a value "versioning" can hold, so it never matches: use one of true, false \(did you mean true\?\)$/,
      ),
    ]);
    expect(problems('  targets: [log]', '{ function: field-at-most, options: { field: tamper_evident, max: 1 } }')).toEqual([
      expect.stringMatching(
        /^10:\d+: check\.options\.field "tamper_evident" does not hold a number, so field-at-most can never pass: compare one that does \(.*retention_days.*\)$/,
      ),
    ]);
  });
});
