/**
 * Meta-test: every check function in the registry has a table of rows, so a new function (or a new family file, or a
 * new reason in one) cannot land untested. Each `<family>.test.ts` exports its table; importing it here registers
 * none of its tests (see describeTable).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as agreementsSrc from '../../src/checks/agreements.js';
import * as backupSrc from '../../src/checks/backup.js';
import * as breachSrc from '../../src/checks/breach.js';
import * as combinatorsSrc from '../../src/checks/combinators.js';
import * as fieldsSrc from '../../src/checks/fields.js';
import * as flowsSrc from '../../src/checks/flows.js';
import * as governanceSrc from '../../src/checks/governance.js';
import * as hostingSrc from '../../src/checks/hosting.js';
import { FUNCTIONS } from '../../src/checks/index.js';
import * as liveSrc from '../../src/checks/live.js';
import * as peopleSrc from '../../src/checks/people.js';
import * as phiSrc from '../../src/checks/phi.js';
import type { CheckFunction } from '../../src/checks/types.js';
import * as vendorsSrc from '../../src/checks/vendors.js';
import { TARGET_TYPES, type TargetType } from '../../src/rules/schema.js';
import { mapOf } from '../support/audit.js';
import { table as agreements } from './agreements.test.js';
import { table as backup } from './backup.test.js';
import { table as breach } from './breach.test.js';
import { table as combinators } from './combinators.test.js';
import { table as fields } from './fields.test.js';
import { table as flows } from './flows.test.js';
import { table as governance } from './governance.test.js';
import { table as hosting } from './hosting.test.js';
import { table as live } from './live.test.js';
import { table as people } from './people.test.js';
import { table as phi } from './phi.test.js';
import type { CheckRow, Family } from './tables.js';
import { table as vendors } from './vendors.test.js';

const TABLES: Record<Family, readonly CheckRow[]> = { fields, combinators, vendors, hosting, flows, phi, backup, agreements, people, governance, breach, live };
const SOURCES: Record<Family, Record<string, unknown>> = {
  fields: fieldsSrc,
  combinators: combinatorsSrc,
  vendors: vendorsSrc,
  hosting: hostingSrc,
  flows: flowsSrc,
  phi: phiSrc,
  backup: backupSrc,
  agreements: agreementsSrc,
  people: peopleSrc,
  governance: governanceSrc,
  breach: breachSrc,
  live: liveSrc,
};
const FAMILIES = Object.keys(TABLES) as Family[];
const CHECKS_DIR = new URL('../../src/checks/', import.meta.url);

/** The registered functions a family's source file exports. */
function exportedFunctions(family: Family): string[] {
  return Object.values(SOURCES[family])
    .filter((v): v is CheckFunction<unknown> => typeof v === 'object' && v !== null && FUNCTIONS.get((v as { name?: string }).name ?? '') === v)
    .map((f) => f.name);
}

const familyOf = new Map<string, Family>();
for (const family of FAMILIES) for (const name of exportedFunctions(family)) familyOf.set(name, family);

const rowsOf = (name: string): CheckRow[] => FAMILIES.flatMap((f) => TABLES[f]).filter((r) => r.check.function === name);

const typeCache = new Map<string, Map<string, TargetType>>();
/** The type of a row's target, read from its map. */
function targetType(row: CheckRow): TargetType | undefined {
  let types = typeCache.get(row.map);
  if (!types) {
    const map = mapOf(row.map);
    types = new Map<string, TargetType>([...map.nodes.values()].map((n) => [n.id, n.type] as const));
    for (const f of map.flows) types.set(f.id, 'flow');
    typeCache.set(row.map, types);
  }
  return types.get(row.target);
}

/**
 * The reasons a family's source gives as literals: `fail('x'`, `unknown('x'`, `reason: 'x'`, `reason = c ? 'x' : 'y'`,
 * up to the next comma or semicolon. A reason computed from data (baa-in-force's `fail(status, ...)`) is not seen.
 */
function reasonLiterals(family: Family): string[] {
  const text = readFileSync(new URL(`${family}.ts`, CHECKS_DIR), 'utf8');
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:\bfail\(|\bunknown\(|\breason\s*[:=])([^,;]*)/g)) {
    for (const lit of (m[1] ?? '').matchAll(/'([a-z][a-z-]*)'/g)) out.add(lit[1]!);
  }
  return [...out].sort();
}

const MISSING_MODES = ['fail', 'unknown', 'pass'] as const;
const hasMissingOption = (fn: CheckFunction<unknown>): boolean => fn.options instanceof z.ZodObject && 'missing' in fn.options.shape;
const missingModeOf = (row: CheckRow): unknown => row.check.options?.missing ?? 'fail';

describe('check-function tables', () => {
  it('every family source file in src/checks has a table', () => {
    const files = readdirSync(CHECKS_DIR)
      .filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts', 'define.ts'].includes(f))
      .map((f) => f.slice(0, -3))
      .sort();
    expect(files).toEqual([...FAMILIES].sort());
  });

  it('every registered function is exported by exactly one family file', () => {
    const exported = FAMILIES.flatMap(exportedFunctions).sort();
    expect(exported).toEqual([...FUNCTIONS.keys()].sort());
  });

  it.each(FAMILIES)('%s: every row names a function of its own family', (family) => {
    const misplaced = TABLES[family].filter((r) => familyOf.get(r.check.function) !== family).map((r) => `${r.check.function}: ${r.name}`);
    expect(misplaced).toEqual([]);
  });

  it.each(FAMILIES)('%s: every reason literal in the source has a row expecting it', (family) => {
    const reasons = reasonLiterals(family);
    expect(reasons.length).toBeGreaterThan(0);
    const covered = new Set(TABLES[family].map((r) => r.expected.reason));
    expect(reasons.filter((r) => !covered.has(r))).toEqual([]);
  });

  it('row names are unique per function', () => {
    const titles = FAMILIES.flatMap((f) => TABLES[f]).map((r) => `${r.check.function}: ${r.name}`);
    expect(titles.filter((t, i) => titles.indexOf(t) !== i)).toEqual([]);
  });

  describe.each([...FUNCTIONS.keys()])('%s', (name) => {
    const fn = FUNCTIONS.get(name)!;
    const rows = rowsOf(name);

    it('has rows in its family table', () => {
      expect(rows.length).toBeGreaterThan(0);
    });

    it('has a pass row and a row that pins the facts it read', () => {
      expect(rows.some((r) => r.expected.status === 'pass')).toBe(true);
      expect(rows.some((r) => r.reads !== undefined)).toBe(true);
    });

    it('has a not-applicable row on a target type it does not declare, when there is one', () => {
      const undeclared = TARGET_TYPES.filter((t) => !fn.targets.includes(t));
      const guarded = rows.filter((r) => r.expected.status === 'not-applicable' && !fn.targets.includes(targetType(r)!));
      expect(guarded.length > 0).toBe(undeclared.length > 0);
      for (const r of rows) expect(targetType(r), `${r.name}: target ${r.target}`).toBeDefined();
    });

    if (!hasMissingOption(fn)) return;
    it('has a row for each `missing` mode and for an unavailable fact', () => {
      for (const mode of MISSING_MODES) {
        const found = rows.some(
          (r) =>
            missingModeOf(r) === mode &&
            (mode === 'pass'
              ? r.expected.status === 'pass' && r.check.options?.missing === 'pass'
              : r.expected.status === mode && r.expected.reason === 'missing'),
        );
        expect(found, `missing: ${mode}`).toBe(true);
      }
      expect(rows.some((r) => r.expected.status === 'unknown' && r.expected.reason === 'unavailable')).toBe(true);
    });
  });
});
