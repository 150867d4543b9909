/** baa-in-force, baa-not-required-claim, vendor-offers-baa, catalog-category: the BAA on file and the vendor catalog. */
import { expect } from 'vitest';
import { AS_OF, catalogOf } from '../support/checks.js';
import { type CheckRow, describeTable, type InvalidOptions, rejectsOptions } from './tables.js';

/** A clinic's vendors, one per BAA situation; a store on AWS keeps them holding PHI, as in a real map. */
const vendorsMap = (vendors: string): string => `
version: 1
vendors:
${vendors}
stores:
  patient-db: { kind: database, hosting: aws/rds, data: [phi] }
flows:
  - { from: patient-db, to: aws, tls: "1.2" }
`;

const BAA_MAP = vendorsMap(`
  aws:
    role: business-associate
    baa: { status: signed, signed: 2025-01-15, expires: 2028-01-14, services: [rds] }
  northbay-health:
    role: covered-entity
    baa: { status: signed }
  gcp:
    baa: { status: pending }
  mailer:
    baa: { status: none }
  telco:
    baa: { status: not-required, document: docs/conduit-exception.md }
  no-paper: { role: business-associate }
  new-partner:
    baa: { status: signed, signed: 2026-07-01 }
  signed-today:
    baa: { status: signed, signed: ${AS_OF} }
  lapsed:
    baa: { status: signed, signed: 2023-06-01, expires: ${AS_OF} }
  expires-tomorrow:
    baa: { status: signed, signed: 2023-06-01, expires: 2026-06-02 }
  old-scribe:
    baa: { status: signed, signed: 2023-06-01, terminated: 2026-05-31, disposition: destroyed }
  leaving:
    baa: { status: signed, signed: 2023-06-01, terminated: 2026-06-02 }
  cardiology-group:
    role: treatment-provider
  clinic-with-paper:
    role: treatment-provider
    baa: { status: none }
  referral-clinic:
    role: treatment-provider
    baa: { status: not-required }
`);

const CATALOG_MAP = vendorsMap(`
  aws:
    baa: { status: signed }
  datadog:
    baa: { status: signed }
  sentry:
    baa: { status: signed }
  sendgrid:
    baa: { status: none }
  gemini-api:
    baa: { status: none }
  openai:
    baa: { status: signed }
  chatgpt-teams:
    catalog: openai
    plan: chatgpt-business
  llm:
    catalog: openai
    plan: api
    baa: { status: signed }
  llm-next:
    catalog: openai
    plan: frontier
  claude:
    plan: api
  zoom:
    plan: basic-free
  acme-scribe:
    baa: { status: signed }
  slack:
    plan: Enterprise Grid
    baa: { status: signed }
  slack-biz:
    catalog: slack
    plan: Business+
  slack-biz-spelled:
    catalog: slack
    plan: business plus
  slack-legacy:
    catalog: slack
    plan: free-pro-business-plus
  tracing:
    catalog: langsmith
  chatgpt-plus:
    catalog: chatgpt
    plan: ChatGPT Plus
  claude-team:
    catalog: claude
    plan: team
`);

// A catalog written for the test, so exact args do not change when the bundled catalog is updated.
const TEST_CATALOG = catalogOf({
  vendors: {
    vendors: {
      scribe: {
        name: 'Scribe AI',
        category: 'llm-api',
        baa: 'plan-dependent',
        plans: {
          enterprise: { baa: 'available' },
          starter: { baa: 'not-offered', note: 'Self-serve plans only.' },
          pilot: { baa: 'unknown' },
          'team-plus': {
            name: 'Team+',
            aliases: ['Teams Plus'],
            baa: 'available',
            source: 'https://scribe.example/team',
            as_of: '2026-04',
            reviewed: '2026-05-02',
          },
        },
        retention: '30 days',
        source: 'https://scribe.example/baa',
        as_of: '2026-04-30',
        reviewed: '2026-05-01',
      },
    },
  },
});
const SCRIBE_ARGS = {
  vendor_name: 'Scribe AI',
  source: 'https://scribe.example/baa',
  as_of: '2026-04-30',
  dated: 'as of 2026-04-30',
  reviewed: '2026-05-01',
  retention: '30 days',
};
const SCRIBE_PLANS = 'enterprise, starter, pilot, Team+';
const scribeMap = (plan?: string): string =>
  vendorsMap(`
  aws:
    baa: { status: signed }
  scribe:
    baa: { status: signed }${plan ? `\n    plan: ${plan}` : ''}
`);

export const table: CheckRow[] = [
  // ---------------------------------------------------------------- baa-in-force
  {
    name: 'pass: signed, in force between its signed and expires dates',
    map: BAA_MAP,
    target: 'aws',
    check: { function: 'baa-in-force' },
    expected: { status: 'pass', args: { status: 'signed' } },
    reads: [
      { subject: 'aws', field: 'baa.status', provenance: 'declared', value: 'signed' },
      { subject: 'aws', field: 'baa.terminated', provenance: 'undeclared', value: undefined },
      { subject: 'aws', field: 'baa.signed', provenance: 'declared', value: '2025-01-15' },
      { subject: 'aws', field: 'baa.expires', provenance: 'declared', value: '2028-01-14' },
    ],
  },
  {
    name: 'pass: signed with no dates (a covered entity)',
    map: BAA_MAP,
    target: 'northbay-health',
    check: { function: 'baa-in-force' },
    expected: { status: 'pass', args: { status: 'signed' } },
  },
  {
    name: 'pass: signed on the --as-of date',
    map: BAA_MAP,
    target: 'signed-today',
    check: { function: 'baa-in-force' },
    expected: { status: 'pass', args: { status: 'signed' } },
  },
  {
    name: 'pass: expires the day after --as-of',
    map: BAA_MAP,
    target: 'expires-tomorrow',
    check: { function: 'baa-in-force' },
    expected: { status: 'pass', args: { status: 'signed' } },
  },
  {
    name: 'fail missing: no baa at all',
    map: BAA_MAP,
    target: 'no-paper',
    check: { function: 'baa-in-force' },
    expected: { status: 'fail', reason: 'missing', args: { status: 'undeclared' } },
    reads: [
      { subject: 'no-paper', field: 'baa.status', provenance: 'undeclared', value: undefined },
      { subject: 'no-paper', field: 'role', provenance: 'declared', value: 'business-associate' },
    ],
  },
  {
    name: 'fail terminated: terminated before --as-of, whatever its other dates',
    map: BAA_MAP,
    target: 'old-scribe',
    check: { function: 'baa-in-force' },
    expected: { status: 'fail', reason: 'terminated', args: { status: 'signed', terminated: '2026-05-31', as_of: AS_OF } },
    reads: [
      { subject: 'old-scribe', field: 'baa.status', provenance: 'declared', value: 'signed' },
      { subject: 'old-scribe', field: 'baa.terminated', provenance: 'declared', value: '2026-05-31' },
      { subject: 'old-scribe', field: 'role', provenance: 'undeclared', value: undefined },
    ],
  },
  {
    name: 'fail terminated: terminated on the --as-of date',
    map: BAA_MAP,
    target: 'leaving',
    check: { function: 'baa-in-force' },
    options: { asOf: '2026-06-02' },
    expected: { status: 'fail', reason: 'terminated', args: { status: 'signed', terminated: '2026-06-02', as_of: '2026-06-02' } },
  },
  {
    name: 'pass: a termination after --as-of is still ahead',
    map: BAA_MAP,
    target: 'leaving',
    check: { function: 'baa-in-force' },
    expected: { status: 'pass', args: { status: 'signed' } },
  },
  {
    name: 'not-applicable: a treatment provider needs no BAA (160.103)',
    map: BAA_MAP,
    target: 'cardiology-group',
    check: { function: 'baa-in-force' },
    expected: { status: 'not-applicable' },
    reads: [
      { subject: 'cardiology-group', field: 'baa.status', provenance: 'undeclared', value: undefined },
      { subject: 'cardiology-group', field: 'role', provenance: 'declared', value: 'treatment-provider' },
    ],
  },
  {
    name: 'not-applicable: a treatment provider whatever its baa says',
    map: BAA_MAP,
    target: 'clinic-with-paper',
    check: { function: 'baa-in-force' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'fail pending',
    map: BAA_MAP,
    target: 'gcp',
    check: { function: 'baa-in-force' },
    expected: { status: 'fail', reason: 'pending', args: { status: 'pending' } },
  },
  {
    name: 'fail none',
    map: BAA_MAP,
    target: 'mailer',
    check: { function: 'baa-in-force' },
    expected: { status: 'fail', reason: 'none', args: { status: 'none' } },
  },
  {
    name: 'fail not-yet: signed after --as-of',
    map: BAA_MAP,
    target: 'new-partner',
    check: { function: 'baa-in-force' },
    expected: { status: 'fail', reason: 'not-yet', args: { status: 'signed', signed: '2026-07-01', as_of: AS_OF } },
  },
  {
    name: 'pass: the same BAA once --as-of reaches its signed date',
    map: BAA_MAP,
    target: 'new-partner',
    check: { function: 'baa-in-force' },
    options: { asOf: '2026-07-01' },
    expected: { status: 'pass', args: { status: 'signed' } },
  },
  {
    name: 'fail expired: expires on the --as-of date',
    map: BAA_MAP,
    target: 'lapsed',
    check: { function: 'baa-in-force' },
    expected: { status: 'fail', reason: 'expired', args: { status: 'signed', expires: AS_OF, as_of: AS_OF } },
  },
  {
    name: 'fail expired: a later --as-of',
    map: BAA_MAP,
    target: 'aws',
    check: { function: 'baa-in-force' },
    options: { asOf: '2028-03-01' },
    expected: { status: 'fail', reason: 'expired', args: { status: 'signed', expires: '2028-01-14', as_of: '2028-03-01' } },
  },
  {
    name: 'not-applicable: not-required (baa-not-required-claim judges the claim)',
    map: BAA_MAP,
    target: 'telco',
    check: { function: 'baa-in-force' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'fail: a contradicted status is judged by what was observed',
    map: BAA_MAP,
    target: 'aws',
    check: { function: 'baa-in-force' },
    options: { observations: [{ subject: 'aws', field: 'baa.status', observed: 'pending', source: 'contracts-db' }] },
    expected: { status: 'fail', reason: 'pending', args: { status: 'pending' } },
    reads: [
      { subject: 'aws', field: 'baa.status', provenance: 'contradicted', value: 'pending' },
      { subject: 'aws', field: 'role', provenance: 'declared', value: 'business-associate' },
    ],
  },
  {
    // Fails closed: an unreadable status is unknown, not undeclared.
    name: 'unknown unavailable: the BAA status could not be read',
    map: BAA_MAP,
    target: 'aws',
    check: { function: 'baa-in-force' },
    options: { observations: [{ subject: 'aws', field: 'baa.status', error: 'contracts-db unreachable', source: 'contracts-db' }] },
    expected: { status: 'unknown', reason: 'unavailable', args: { field: 'baa.status', value: 'unavailable', error: 'contracts-db unreachable' } },
    reads: [
      { subject: 'aws', field: 'baa.status', provenance: 'unavailable', value: undefined },
      { subject: 'aws', field: 'role', provenance: 'declared', value: 'business-associate' },
    ],
  },
  {
    name: 'not-applicable: a store is not a target it declares',
    map: BAA_MAP,
    target: 'patient-db',
    check: { function: 'baa-in-force' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: BAA_MAP,
    target: 'patient-db->aws',
    check: { function: 'baa-in-force' },
    expected: { status: 'not-applicable' },
    reads: [],
  },

  // ---------------------------------------------------------------- baa-not-required-claim
  {
    name: 'fail claim: marked not-required',
    map: BAA_MAP,
    target: 'telco',
    check: { function: 'baa-not-required-claim' },
    expected: { status: 'fail', reason: 'claim' },
    reads: [
      { subject: 'telco', field: 'baa.status', provenance: 'declared', value: 'not-required' },
      { subject: 'telco', field: 'role', provenance: 'undeclared' },
    ],
  },
  {
    name: 'not-applicable: a treatment provider needs no BAA (160.103), so the claim is justified',
    map: BAA_MAP,
    target: 'referral-clinic',
    check: { function: 'baa-not-required-claim' },
    expected: { status: 'not-applicable' },
    reads: [
      { subject: 'referral-clinic', field: 'baa.status', provenance: 'declared', value: 'not-required' },
      { subject: 'referral-clinic', field: 'role', provenance: 'declared', value: 'treatment-provider' },
    ],
  },
  {
    name: 'pass: signed',
    map: BAA_MAP,
    target: 'aws',
    check: { function: 'baa-not-required-claim' },
    expected: { status: 'pass' },
  },
  {
    name: 'pass: pending is not a claim (baa-in-force fails it)',
    map: BAA_MAP,
    target: 'gcp',
    check: { function: 'baa-not-required-claim' },
    expected: { status: 'pass' },
  },
  {
    name: 'pass: no baa is not a claim',
    map: BAA_MAP,
    target: 'no-paper',
    check: { function: 'baa-not-required-claim' },
    expected: { status: 'pass' },
  },
  {
    name: 'fail claim: an observed not-required is judged, whatever the map says',
    map: BAA_MAP,
    target: 'mailer',
    check: { function: 'baa-not-required-claim' },
    options: { observations: [{ subject: 'mailer', field: 'baa.status', observed: 'not-required', source: 'contracts-db' }] },
    expected: { status: 'fail', reason: 'claim' },
    reads: [
      { subject: 'mailer', field: 'baa.status', provenance: 'contradicted', value: 'not-required' },
      { subject: 'mailer', field: 'role', provenance: expect.any(String) },
    ],
  },
  {
    name: 'not-applicable: a store is not a target it declares',
    map: BAA_MAP,
    target: 'patient-db',
    check: { function: 'baa-not-required-claim' },
    expected: { status: 'not-applicable' },
  },

  // ---------------------------------------------------------------- vendor-offers-baa (bundled catalog)
  {
    name: 'pass: the catalog says the BAA is available (Datadog)',
    map: CATALOG_MAP,
    target: 'datadog',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'pass', args: expect.objectContaining({ vendor_name: 'Datadog', plan: 'undeclared' }) },
    reads: [
      { subject: 'datadog', field: 'catalog', provenance: 'undeclared' },
      { subject: 'datadog', field: 'vendor-catalog', provenance: 'catalog', value: { baa: 'available', category: 'observability' } },
      { subject: 'datadog', field: 'plan', provenance: 'undeclared' },
    ],
  },
  {
    name: 'fail not-offered: SendGrid',
    map: CATALOG_MAP,
    target: 'sendgrid',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'fail', reason: 'not-offered', args: expect.objectContaining({ vendor_name: 'Twilio SendGrid' }) },
  },
  {
    name: 'unknown vendor-unknown: the catalog could not establish an offer (Gemini API), with its note',
    map: CATALOG_MAP,
    target: 'gemini-api',
    check: { function: 'vendor-offers-baa' },
    expected: {
      status: 'unknown',
      reason: 'vendor-unknown',
      args: expect.objectContaining({ vendor_name: 'Google Gemini API / Google AI Studio', note: expect.stringContaining('BAA') }),
    },
  },
  {
    name: 'unknown no-plan: plan-dependent and no plan declared (OpenAI), args list the plans',
    map: CATALOG_MAP,
    target: 'openai',
    check: { function: 'vendor-offers-baa' },
    expected: {
      status: 'unknown',
      reason: 'no-plan',
      args: expect.objectContaining({ vendor_name: 'OpenAI', plan: 'undeclared', plans: expect.stringContaining('ChatGPT Business') }),
    },
  },
  {
    name: 'unknown unknown-plan: a plan the catalog does not list',
    map: CATALOG_MAP,
    target: 'llm-next',
    check: { function: 'vendor-offers-baa' },
    expected: {
      status: 'unknown',
      reason: 'unknown-plan',
      args: expect.objectContaining({ vendor_name: 'OpenAI', plan: 'frontier', plans: expect.stringContaining('API Platform') }),
    },
  },
  {
    name: 'fail plan-not-offered: ChatGPT Business, through `catalog:`',
    map: CATALOG_MAP,
    target: 'chatgpt-teams',
    check: { function: 'vendor-offers-baa' },
    expected: {
      status: 'fail',
      reason: 'plan-not-offered',
      args: expect.objectContaining({ vendor_name: 'OpenAI', plan: 'ChatGPT Business', note: expect.stringContaining('BAA') }),
    },
  },
  {
    name: 'pass: a plan that offers one, through `catalog:` (a vendor called llm)',
    map: CATALOG_MAP,
    target: 'llm',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'pass', args: expect.objectContaining({ vendor_name: 'OpenAI', plan: 'API Platform' }) },
    reads: [
      { subject: 'llm', field: 'catalog', provenance: 'declared', value: 'openai' },
      { subject: 'openai', field: 'vendor-catalog', provenance: 'catalog', value: { baa: 'plan-dependent', category: 'llm-api' } },
      { subject: 'llm', field: 'plan', provenance: 'declared', value: 'api' },
    ],
  },
  {
    name: 'pass: found by a catalog alias (claude is Anthropic)',
    map: CATALOG_MAP,
    target: 'claude',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'pass', args: expect.objectContaining({ vendor_name: 'Anthropic (Claude)', plan: 'Claude API' }) },
  },
  {
    name: 'unknown plan-unknown: the plan is listed but its terms are unknown (Zoom Basic, by its old id)',
    map: CATALOG_MAP,
    target: 'zoom',
    check: { function: 'vendor-offers-baa' },
    expected: {
      status: 'unknown',
      reason: 'plan-unknown',
      args: expect.objectContaining({ vendor_name: 'Zoom', plan: 'Basic', note: expect.stringContaining('paid plans') }),
    },
  },
  {
    name: 'pass: Slack Enterprise Grid, written as Slack publishes it',
    map: CATALOG_MAP,
    target: 'slack',
    check: { function: 'vendor-offers-baa' },
    expected: {
      status: 'pass',
      args: expect.objectContaining({ vendor_name: 'Slack', plan: 'Enterprise Grid', note: expect.stringContaining('message content') }),
    },
  },
  {
    name: 'fail plan-not-offered: Slack Business+, by its published name',
    map: CATALOG_MAP,
    target: 'slack-biz',
    check: { function: 'vendor-offers-baa' },
    expected: {
      status: 'fail',
      reason: 'plan-not-offered',
      args: expect.objectContaining({ plan: 'Business+', note: expect.stringContaining('Enterprise Grid') }),
    },
  },
  {
    name: "fail plan-not-offered: 'business plus' is the same plan (case, spaces and punctuation ignored)",
    map: CATALOG_MAP,
    target: 'slack-biz-spelled',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'fail', reason: 'plan-not-offered', args: expect.objectContaining({ plan: 'Business+' }) },
  },
  {
    name: "unknown unknown-plan: the old 'free-pro-business-plus' spelling names no one plan; the message lists the published ones",
    map: CATALOG_MAP,
    target: 'slack-legacy',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'unknown', reason: 'unknown-plan', args: expect.objectContaining({ plans: 'Enterprise Grid, Business+, Pro, Free' }) },
  },
  {
    name: 'fail plan-not-offered: ChatGPT Plus, a consumer plan, through an alias of the vendor',
    map: CATALOG_MAP,
    target: 'chatgpt-plus',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'fail', reason: 'plan-not-offered', args: expect.objectContaining({ vendor_name: 'OpenAI', plan: 'ChatGPT Plus' }) },
  },
  {
    name: 'fail plan-not-offered: Claude Team',
    map: CATALOG_MAP,
    target: 'claude-team',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'fail', reason: 'plan-not-offered', args: expect.objectContaining({ vendor_name: 'Anthropic (Claude)', plan: 'Claude Team' }) },
  },
  {
    name: 'unknown vendor-unknown: LangSmith, whose BAA terms could not be read',
    map: CATALOG_MAP,
    target: 'tracing',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'unknown', reason: 'vendor-unknown', args: expect.objectContaining({ vendor_name: 'LangSmith (LangChain)', reviewed: '2026-12-06' }) },
  },
  {
    name: 'not-applicable: a vendor the catalog does not list',
    map: CATALOG_MAP,
    target: 'acme-scribe',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'acme-scribe', field: 'catalog', provenance: 'undeclared' }],
  },
  {
    name: 'not-applicable: a store is not a target it declares',
    map: CATALOG_MAP,
    target: 'patient-db',
    check: { function: 'vendor-offers-baa' },
    expected: { status: 'not-applicable' },
    reads: [],
  },

  // ---------------------------------------------------------------- vendor-offers-baa (a test catalog: exact args)
  {
    name: 'pass: an available plan, exact args',
    map: scribeMap('enterprise'),
    target: 'scribe',
    check: { function: 'vendor-offers-baa' },
    options: { catalog: TEST_CATALOG },
    expected: { status: 'pass', args: { ...SCRIBE_ARGS, plan: 'enterprise', note: '' } },
  },
  {
    name: "pass: a plan by a published spelling (case, spaces and '+' ignored), with the plan's own source and dates",
    map: scribeMap('teams plus'),
    target: 'scribe',
    check: { function: 'vendor-offers-baa' },
    options: { catalog: TEST_CATALOG },
    expected: {
      status: 'pass',
      args: {
        ...SCRIBE_ARGS,
        plan: 'Team+',
        source: 'https://scribe.example/team',
        as_of: '2026-04',
        dated: 'as of 2026-04',
        reviewed: '2026-05-02',
        note: '',
      },
    },
  },
  {
    name: 'fail plan-not-offered: exact args, with the plan note',
    map: scribeMap('starter'),
    target: 'scribe',
    check: { function: 'vendor-offers-baa' },
    options: { catalog: TEST_CATALOG },
    expected: { status: 'fail', reason: 'plan-not-offered', args: { ...SCRIBE_ARGS, plan: 'starter', note: 'Self-serve plans only' } },
  },
  {
    name: 'unknown plan-unknown: a plan with unknown terms and no note, exact args',
    map: scribeMap('pilot'),
    target: 'scribe',
    check: { function: 'vendor-offers-baa' },
    options: { catalog: TEST_CATALOG },
    expected: { status: 'unknown', reason: 'plan-unknown', args: { ...SCRIBE_ARGS, plan: 'pilot', note: 'the catalog found no statement of its terms' } },
  },
  {
    name: 'unknown no-plan: exact args, the plans joined',
    map: scribeMap(),
    target: 'scribe',
    check: { function: 'vendor-offers-baa' },
    options: { catalog: TEST_CATALOG },
    expected: { status: 'unknown', reason: 'no-plan', args: { ...SCRIBE_ARGS, plan: 'undeclared', plans: SCRIBE_PLANS } },
  },
  {
    name: 'unknown unknown-plan: a plan name that is an Object.prototype key is not a plan',
    map: scribeMap('constructor'),
    target: 'scribe',
    check: { function: 'vendor-offers-baa' },
    options: { catalog: TEST_CATALOG },
    expected: { status: 'unknown', reason: 'unknown-plan', args: { ...SCRIBE_ARGS, plan: 'constructor', plans: SCRIBE_PLANS } },
  },
  {
    name: 'pass: a contradicted plan is judged by what was observed',
    map: scribeMap('starter'),
    target: 'scribe',
    check: { function: 'vendor-offers-baa' },
    options: { catalog: TEST_CATALOG, observations: [{ subject: 'scribe', field: 'plan', observed: 'enterprise', source: 'scribe:billing-api' }] },
    expected: { status: 'pass', args: { ...SCRIBE_ARGS, plan: 'enterprise', note: '' } },
    reads: [
      { subject: 'scribe', field: 'catalog', provenance: 'undeclared' },
      { subject: 'scribe', field: 'vendor-catalog', provenance: 'catalog' },
      { subject: 'scribe', field: 'plan', provenance: 'contradicted', value: 'enterprise' },
    ],
  },

  // ---------------------------------------------------------------- catalog-category
  {
    name: 'pass: an LLM API (vendor-retention escalation)',
    map: CATALOG_MAP,
    target: 'llm',
    check: { function: 'catalog-category', options: { categories: ['llm-api'] } },
    expected: { status: 'pass', args: { category: 'llm-api' } },
    reads: [
      { subject: 'llm', field: 'catalog', provenance: 'declared', value: 'openai' },
      { subject: 'openai', field: 'vendor-catalog', provenance: 'catalog' },
    ],
  },
  {
    name: 'pass: one of several categories',
    map: CATALOG_MAP,
    target: 'sentry',
    check: { function: 'catalog-category', options: { categories: ['observability', 'error-tracking'] } },
    expected: { status: 'pass', args: { category: 'error-tracking' } },
  },
  {
    name: 'fail other: listed in another category',
    map: CATALOG_MAP,
    target: 'datadog',
    check: { function: 'catalog-category', options: { categories: ['llm-api'] } },
    expected: { status: 'fail', reason: 'other', args: { category: 'observability' } },
  },
  {
    name: 'not-applicable: the catalog does not know the vendor (as vendor-offers-baa)',
    map: CATALOG_MAP,
    target: 'acme-scribe',
    check: { function: 'catalog-category', options: { categories: ['llm-api'] } },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'pass: from a test catalog',
    map: scribeMap(),
    target: 'scribe',
    check: { function: 'catalog-category', options: { categories: ['llm-api'] } },
    options: { catalog: TEST_CATALOG },
    expected: { status: 'pass', args: { category: 'llm-api' } },
  },
  {
    name: 'not-applicable: a service is not a target it declares',
    map: `
version: 1
vendors:
  openai: { baa: { status: signed } }
services:
  summarizer: { hosting: openai, data: [phi] }
`,
    target: 'summarizer',
    check: { function: 'catalog-category', options: { categories: ['llm-api'] } },
    expected: { status: 'not-applicable' },
    reads: [],
  },
];

const invalid: InvalidOptions[] = [
  { name: 'any option (it takes none)', fn: 'baa-in-force', options: { grace_days: 30 } },
  { name: 'any option (it takes none)', fn: 'vendor-offers-baa', options: { plan: 'api' } },
  { name: 'no categories', fn: 'catalog-category', options: {} },
  { name: 'an empty categories list', fn: 'catalog-category', options: { categories: [] } },
];

describeTable(import.meta.url, 'vendors', table, () => {
  rejectsOptions(BAA_MAP, 'aws', invalid);
});
