/**
 * risk-analysis-declared, risk-analysis-current, risk-analysis-covers, incident-response-tested: the system's own
 * safeguards, judged once on the system's anchor (the first service, store or log holding PHI), or per node for scope.
 */
import { expect, it } from 'vitest';
import { addMonths } from '../../src/checks/governance.js';
import { SYSTEM_SUBJECT } from '../../src/enrich/facts.js';
import { type CheckRow, describeTable, type InvalidOptions, rejectsOptions } from './tables.js';

const S = SYSTEM_SUBJECT;

/** The body of a map: the covered entity's feed reaches the API, its database and an error log; the report store holds none. */
const body = `
vendors:
  northbay-health:
    role: covered-entity
    data: [phi]
    baa: { status: signed }
services:
  ehr-api: { hosting: self }
stores:
  notes-db: { kind: database, hosting: self }
  reports: { kind: object-store, hosting: self, data: [deidentified] }
logs:
  app-logs: { kind: application, hosting: self }
flows:
  - { from: northbay-health, to: ehr-api, tls: "1.2" }
  - { from: ehr-api, to: notes-db, tls: "1.3" }
  - { from: ehr-api, to: app-logs, on: error, tls: "1.3" }
`;

const DECLARED = `
version: 1
system:
  name: discharge-summaries
  risk_analysis: { date: 2025-09-30, document: compliance/ra-2025.pdf, scope: [ehr-api, notes-db, northbay-health] }
  incident_response: { document: security/ir-plan.md, tested: 2025-05-31 }
${body}`;

const UNSCOPED = `
version: 1
system:
  risk_analysis: { date: 2026-02-01 }
  incident_response: { document: security/ir-plan.md }
${body}`;

const NAMED_ONLY = `
version: 1
system: discharge-summaries
${body}`;

/** Only a vendor holds PHI: the anchor falls back to it. */
const VENDOR_ONLY = `
version: 1
vendors:
  northbay-health: { role: covered-entity, data: [phi], baa: { status: signed } }
services:
  reporting: { hosting: self, data: [deidentified] }
`;

export const table: CheckRow[] = [
  // ---------------------------------------------------------------- risk-analysis-declared
  {
    name: 'pass: declared, judged on the anchor (the first service holding PHI)',
    map: DECLARED,
    target: 'ehr-api',
    check: { function: 'risk-analysis-declared' },
    expected: { status: 'pass', args: { date: '2025-09-30' } },
    reads: [{ subject: S, field: 'risk_analysis.date', provenance: 'declared', value: '2025-09-30' }],
  },
  {
    name: 'fail missing: `system` is only a name',
    map: NAMED_ONLY,
    target: 'ehr-api',
    check: { function: 'risk-analysis-declared' },
    expected: { status: 'fail', reason: 'missing', args: { field: 'system.risk_analysis', value: 'undeclared' } },
    reads: [{ subject: S, field: 'risk_analysis.date', provenance: 'undeclared', value: undefined }],
  },
  {
    name: 'not-applicable: another node holding PHI (the finding is reported once)',
    map: NAMED_ONLY,
    target: 'notes-db',
    check: { function: 'risk-analysis-declared' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
  {
    name: 'not-applicable: the vendor is not the anchor while a service holds PHI',
    map: NAMED_ONLY,
    target: 'northbay-health',
    check: { function: 'risk-analysis-declared' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'fail missing: on a vendor when no other node holds PHI',
    map: VENDOR_ONLY,
    target: 'northbay-health',
    check: { function: 'risk-analysis-declared' },
    expected: { status: 'fail', reason: 'missing', args: { field: 'system.risk_analysis', value: 'undeclared' } },
  },
  {
    name: 'unknown unavailable: the date could not be read',
    map: DECLARED,
    target: 'ehr-api',
    check: { function: 'risk-analysis-declared' },
    options: { observations: [{ subject: S, field: 'risk_analysis.date', error: 'GRC tool unreachable', source: 'grc' }] },
    expected: { status: 'unknown', reason: 'unavailable', args: { field: 'risk_analysis.date', value: 'unavailable', error: 'GRC tool unreachable' } },
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: DECLARED,
    target: 'ehr-api->notes-db',
    check: { function: 'risk-analysis-declared' },
    expected: { status: 'not-applicable' },
    reads: [],
  },

  // ---------------------------------------------------------------- risk-analysis-current
  {
    name: 'fail stale: more than 12 months before --as-of',
    map: DECLARED,
    target: 'ehr-api',
    check: { function: 'risk-analysis-current' },
    options: { asOf: '2026-10-01' },
    expected: { status: 'fail', reason: 'stale', args: { date: '2025-09-30', due: '2026-09-30', months: 12, as_of: '2026-10-01' } },
    reads: [{ subject: S, field: 'risk_analysis.date', provenance: 'declared', value: '2025-09-30' }],
  },
  {
    name: 'pass: exactly 12 months old',
    map: DECLARED,
    target: 'ehr-api',
    check: { function: 'risk-analysis-current' },
    options: { asOf: '2026-09-30' },
    expected: { status: 'pass', args: { date: '2025-09-30', due: '2026-09-30' } },
  },
  {
    name: 'fail stale: a shorter interval from the rule',
    map: DECLARED,
    target: 'ehr-api',
    check: { function: 'risk-analysis-current', options: { max_age_months: 6 } },
    expected: { status: 'fail', reason: 'stale', args: { date: '2025-09-30', due: '2026-03-30', months: 6, as_of: '2026-06-01' } },
  },
  {
    name: 'not-applicable: none declared (risk-analysis-declared reports it)',
    map: NAMED_ONLY,
    target: 'ehr-api',
    check: { function: 'risk-analysis-current' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: not the anchor',
    map: DECLARED,
    target: 'app-logs',
    check: { function: 'risk-analysis-current' },
    options: { asOf: '2027-01-01' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: DECLARED,
    target: 'ehr-api->notes-db',
    check: { function: 'risk-analysis-current' },
    expected: { status: 'not-applicable' },
  },

  // ---------------------------------------------------------------- risk-analysis-covers
  {
    name: 'pass: in scope',
    map: DECLARED,
    target: 'notes-db',
    check: { function: 'risk-analysis-covers' },
    expected: { status: 'pass', args: { date: '2025-09-30' } },
    reads: [
      { subject: S, field: 'risk_analysis.date', provenance: 'declared' },
      { subject: S, field: 'risk_analysis.scope', provenance: 'declared', value: ['ehr-api', 'notes-db', 'northbay-health'] },
    ],
  },
  {
    name: 'fail out-of-scope: a log PHI reaches on the error path',
    map: DECLARED,
    target: 'app-logs',
    check: { function: 'risk-analysis-covers' },
    expected: { status: 'fail', reason: 'out-of-scope', args: { date: '2025-09-30', scope: 'ehr-api, notes-db, northbay-health' } },
  },
  {
    name: 'not-applicable: no scope given (the whole system)',
    map: UNSCOPED,
    target: 'app-logs',
    check: { function: 'risk-analysis-covers' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: no risk analysis',
    map: NAMED_ONLY,
    target: 'app-logs',
    check: { function: 'risk-analysis-covers' },
    expected: { status: 'not-applicable' },
    reads: [{ subject: S, field: 'risk_analysis.date', provenance: 'undeclared' }],
  },
  {
    name: 'not-applicable: a vendor is not a target it declares',
    map: DECLARED,
    target: 'northbay-health',
    check: { function: 'risk-analysis-covers' },
    expected: { status: 'not-applicable' },
    reads: [],
  },

  // ---------------------------------------------------------------- incident-response-tested
  {
    name: 'pass: tested exactly 12 months before --as-of',
    map: DECLARED,
    target: 'ehr-api',
    check: { function: 'incident-response-tested' },
    options: { asOf: '2026-05-31' },
    expected: { status: 'pass', args: { document: 'security/ir-plan.md', tested: '2025-05-31' } },
    reads: [
      { subject: S, field: 'incident_response.document', provenance: 'declared', value: 'security/ir-plan.md' },
      { subject: S, field: 'incident_response.tested', provenance: 'declared', value: '2025-05-31' },
    ],
  },
  {
    name: 'fail stale: last tested more than 12 months ago',
    map: DECLARED,
    target: 'ehr-api',
    check: { function: 'incident-response-tested' },
    options: { asOf: '2026-06-02' },
    expected: {
      status: 'fail',
      reason: 'stale',
      args: { document: 'security/ir-plan.md', tested: '2025-05-31', due: '2026-05-31', months: 12, as_of: '2026-06-02' },
    },
  },
  {
    name: 'fail missing: a plan never tested',
    map: UNSCOPED,
    target: 'ehr-api',
    check: { function: 'incident-response-tested' },
    expected: {
      status: 'fail',
      reason: 'missing',
      args: { field: 'system.incident_response.tested', value: 'undeclared', what: 'no date on which the plan (security/ir-plan.md) was last tested' },
    },
  },
  {
    name: 'fail missing: no plan',
    map: NAMED_ONLY,
    target: 'ehr-api',
    check: { function: 'incident-response-tested' },
    expected: { status: 'fail', reason: 'missing', args: { field: 'system.incident_response', value: 'undeclared', what: 'no incident response plan' } },
    reads: [{ subject: S, field: 'incident_response.document', provenance: 'undeclared', value: undefined }],
  },
  {
    name: 'not-applicable: not the anchor',
    map: NAMED_ONLY,
    target: 'notes-db',
    check: { function: 'incident-response-tested' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: DECLARED,
    target: 'ehr-api->app-logs',
    check: { function: 'incident-response-tested' },
    expected: { status: 'not-applicable' },
  },
];

const invalid: InvalidOptions[] = [
  { name: 'a zero age', fn: 'risk-analysis-current', options: { max_age_months: 0 } },
  { name: 'any option (it takes none)', fn: 'risk-analysis-declared', options: { max_age_months: 12 } },
  { name: 'any option (it takes none)', fn: 'risk-analysis-covers', options: { scope: ['ehr-api'] } },
  { name: 'an age in days', fn: 'incident-response-tested', options: { max_age_days: 365 } },
];

describeTable(import.meta.url, 'governance', table, () => {
  rejectsOptions(DECLARED, 'ehr-api', invalid);
  it.each([
    ['2025-09-30', 12, '2026-09-30'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2025-08-31', 6, '2026-02-28'],
    ['2025-12-15', 1, '2026-01-15'],
    ['2025-01-31', 1, '2025-02-28'],
  ] as const)('addMonths(%s, %i) is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});
