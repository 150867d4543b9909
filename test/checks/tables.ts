/**
 * The shape of a check-function test table (one per family, `test/checks/<family>.test.ts`), and the driver that runs
 * one. Each row is a small map, a target in it, a check written as a rule file writes it, and what the check must
 * conclude; some rows also say which facts it read. `coverage.test.ts` imports every table to prove each registered
 * function has rows.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { CheckSpec, Status } from '../../src/checks/types.js';
import type { Provenance } from '../../src/enrich/facts.js';
import { type RunOptions, runOn } from '../support/checks.js';

interface ExpectedRead {
  subject: string;
  field: string;
  provenance: Provenance;
  /** Compared when given (`undefined` included: write `value: undefined` to require an undeclared value). */
  value?: unknown;
}

export interface CheckRow {
  name: string;
  /** A whole one-file PHI map (YAML). */
  map: string;
  /** A node id or flow id in the map. */
  target: string;
  /** As a rule file gives it: the function's name and its options before validation and defaults. */
  check: CheckSpec;
  options?: RunOptions;
  expected: {
    status: Status;
    /** Compared always: a row without one requires a result without one. */
    reason?: string;
    /** Compared exactly when given (matchers such as expect.objectContaining allowed). */
    args?: Record<string, unknown>;
  };
  /** The facts read, each once, in the order first read; compared exactly (length and order) when given. */
  reads?: ExpectedRead[];
}

export type Family = 'fields' | 'combinators' | 'vendors' | 'hosting' | 'flows' | 'phi' | 'backup' | 'agreements' | 'people' | 'governance' | 'breach' | 'live';

/**
 * Register the table's tests, only when the calling file is the test file being run: the coverage meta-test imports
 * every table file and must not run (or count) their rows a second time. `more` registers a file's other tests.
 */
export function describeTable(fileUrl: string, family: Family, rows: readonly CheckRow[], more?: () => void): void {
  const running = expect.getState().testPath;
  if (running !== undefined && path.resolve(running) !== path.resolve(fileURLToPath(fileUrl))) return;
  describe(`${family} check functions`, () => {
    it.each(rows.map((row) => [`${row.check.function}: ${row.name}`, row] as const))('%s', (_title, row) => {
      const run = runOn(row.map, row.target, row.check, row.options);
      expect({ status: run.result.status, reason: run.result.reason }).toEqual({ status: row.expected.status, reason: row.expected.reason });
      if (row.expected.args !== undefined) expect(run.result.args).toEqual(row.expected.args);
      if (row.reads !== undefined) {
        const actual = run.evidence.map((f) => ({ subject: f.subject, field: f.field, provenance: f.provenance, value: f.value }));
        expect(actual).toEqual(row.reads.map((r) => expect.objectContaining(r)));
      }
    });
    more?.();
  });
}

export interface InvalidOptions {
  fn: string;
  /** What is wrong, for the test's title. */
  name: string;
  options: Record<string, unknown>;
}

/** Options a rule file could give that the function's schema must refuse (call inside `describeTable`'s `more`). */
export function rejectsOptions(map: string, target: string, cases: readonly InvalidOptions[]): void {
  it.each(cases.map((c) => [`${c.fn} rejects options with ${c.name}`, c] as const))('%s', (_title, c) => {
    expect(() => runOn(map, target, { function: c.fn, options: c.options })).toThrow(ZodError);
  });
}
