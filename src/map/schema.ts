/** The PHI map, format v1: the single source of truth for its shape. Types come from here via z.infer. */
import { z } from 'zod';

export const MAP_VERSIONS = [1] as const;
export { ID_PATTERN } from '../source/names.js';

const text = z.string();
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const time = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(s);
}

const date = z.string().refine(isCalendarDate, { message: 'expected a real calendar date written YYYY-MM-DD' });
const classList = z.array(z.string()).describe('data classes: `phi`, `deidentified` or ids from data_classes');

export const ENCRYPTION_ALGORITHMS = ['none', 'aes-128', 'aes-192', 'aes-256'] as const;
export const STORE_KINDS = [
  'database',
  'object-store',
  'queue',
  'dead-letter-queue',
  'cache',
  'filesystem',
  'dataset',
  'model',
  'backup',
  'device',
  'removable-media',
] as const;
export const LOG_KINDS = ['application', 'audit', 'trace', 'metrics', 'error-tracking'] as const;
export const TLS_VERSIONS = ['none', '1.0', '1.1', '1.2', '1.3'] as const;
export const FLOW_CONDITIONS = ['normal', 'error', 'retry', 'debug'] as const;
/** Methods that make data no longer PHI (164.514(b)); a limited data set (164.514(e)) stays PHI. */
export const DEIDENTIFY_METHODS = ['safe-harbor', 'expert-determination', 'limited-data-set'] as const;
export const TRANSPORTS = ['network', 'local'] as const;
export const DUA_STATUSES = ['signed', 'pending', 'none'] as const;
export const BAA_STATUSES = ['signed', 'pending', 'none', 'not-required'] as const;
export const VENDOR_ROLES = ['business-associate', 'covered-entity', 'treatment-provider'] as const;
export const BAA_DISPOSITIONS = ['returned', 'destroyed', 'infeasible'] as const;
export const DEPROVISIONING = ['automated', 'manual'] as const;
export const LOG_REVIEW_METHODS = ['siem', 'alerting', 'manual'] as const;
export const DISPOSAL_METHODS = ['nist-800-88', 'crypto-erase', 'vendor-certified'] as const;

// YAML reads an unquoted `tls: 1.2` as a number; accept it as the version people meant.
const tls = z
  .union([z.enum(TLS_VERSIONS), z.number()])
  .transform((v, ctx) => {
    if (typeof v === 'string') return v;
    const s = Number.isInteger(v) ? v.toFixed(1) : String(v);
    if ((TLS_VERSIONS as readonly string[]).includes(s)) return s as (typeof TLS_VERSIONS)[number];
    ctx.addIssue({ code: 'custom', message: `unknown TLS version ${v}: use one of ${TLS_VERSIONS.map((t) => `"${t}"`).join(', ')}` });
    return z.NEVER;
  })
  .describe('TLS version of the connection: none, "1.0", "1.1", "1.2" or "1.3"');

export const Access = z
  .strictObject({
    unique_user_ids: z.boolean().describe('every person and service has its own account (164.312(a)(2)(i))'),
    mfa: z.boolean().describe('multi-factor authentication for people (164.312(d))'),
    session_timeout_minutes: z.number().int().positive().describe('automatic logoff after this many idle minutes (164.312(a)(2)(iii))'),
    emergency_access: z.boolean().describe('a documented break-glass procedure exists (164.312(a)(2)(ii))'),
    rbac: z.boolean().describe('role-based access limits who can read PHI (164.312(a)(1))'),
    review_interval_days: z.number().int().positive().describe('who has access is reviewed every this many days (164.308(a)(3)(ii)(B), 164.308(a)(4)(ii)(C))'),
    deprovisioning: z
      .enum(DEPROVISIONING)
      .describe('how access ends when someone leaves or changes role: automated (an identity provider) or manual (164.308(a)(3)(ii)(C))'),
  })
  .partial();

export const Encryption = z
  .strictObject({
    at_rest: z.enum(ENCRYPTION_ALGORITHMS).describe('algorithm protecting data at rest'),
    key: z.enum(['provider-managed', 'customer-managed']).describe('who controls the key'),
  })
  .partial();

const nodeCommon = {
  description: text,
  environment: z.string().describe('an id from environments:'),
  hosting: z.string().describe('VENDOR/SERVICE (aws/s3), VENDOR for a SaaS, or self'),
  data: classList.describe('data classes that originate or rest here regardless of flows'),
  records: z.number().int().nonnegative().describe('number of individuals whose data is here (breach sizing)'),
  access: Access,
  audit_log: z.string().describe('id of a logs node that records access to this node'),
  encryption: Encryption,
  backup: z.string().describe('id of a stores node that holds backups of this node'),
  account: z.string().describe('1.1: an id from accounts: (the cloud account the node lives in); optional when there is one'),
  resource: z
    .string()
    .min(1)
    .describe(
      '1.1: the cloud resource for live checks: bucket name, log group name, DB instance or cluster id, trail name, queue name, endpoint name, or an ARN',
    ),
};

export const Service = z.strictObject({ ...nodeCommon, interactive: z.boolean().describe('people log in to it') }).partial();

export const Store = z
  .strictObject({
    ...nodeCommon,
    kind: z.enum(STORE_KINDS),
    public_access: z.enum(['blocked', 'allowed']),
    versioning: z.boolean(),
    managed: z.boolean().describe('kind: device only: the device is centrally managed (MDM, disk encryption enforced)'),
    object_lock: z.boolean().describe('extension: write-once retention protects objects from alteration'),
    point_in_time_recovery: z.boolean().describe('extension: the database can be restored to any point in time'),
    disposal: z
      .enum(DISPOSAL_METHODS)
      .describe('how the media is wiped before disposal or re-use: nist-800-88, crypto-erase or vendor-certified (164.310(d)(2)(i)-(ii))'),
  })
  .partial();

export const Log = z
  .strictObject({
    ...nodeCommon,
    kind: z.enum(LOG_KINDS),
    retention_days: z.number().int().nonnegative(),
    tamper_evident: z.boolean(),
    review: z
      .strictObject({
        method: z.enum(LOG_REVIEW_METHODS).describe('siem, alerting or manual'),
        interval_days: z.number().int().positive().optional().describe('people review the log (or its reports) every this many days'),
      })
      .describe('kind: audit only: how the audit log is reviewed (164.308(a)(1)(ii)(D))'),
  })
  .partial();

export const Baa = z.strictObject({
  status: z.enum(BAA_STATUSES),
  signed: date.optional(),
  expires: date.optional(),
  services: z.array(z.string()).optional().describe('services the BAA covers; absent = the whole vendor'),
  document: text.optional().describe('where the signed agreement is kept'),
  terminated: date.optional().describe('the date the BAA was terminated; on or before --as-of it is no longer in force'),
  disposition: z
    .enum(BAA_DISPOSITIONS)
    .optional()
    .describe('what became of the PHI at termination: returned, destroyed, or infeasible (protections extended) (164.504(e)(2)(ii)(J))'),
  breach_notice_days: z.number().int().nonnegative().optional().describe('days the BAA allows to notify a breach; 164.410(b)(1) sets 60 at most'),
});

export const Vendor = z
  .strictObject({
    role: z
      .enum(VENDOR_ROLES)
      .describe('business-associate, covered-entity (the client that sends you PHI), or treatment-provider (receives PHI to treat the patient: no BAA needed)'),
    description: text,
    baa: Baa,
    subprocessors: z.array(z.string()).describe('vendor ids this vendor passes data to'),
    retains_data: z.boolean().describe('the vendor keeps or trains on what it receives'),
    data: classList.describe('extension: data classes that originate at this vendor (a covered entity sending PHI)'),
    catalog: z.string().describe('extension: id of this vendor in the bundled vendor catalog (default: the vendor id)'),
    plan: z.string().describe('extension: the vendor plan in use, for plan-dependent BAA availability'),
    dua: z
      .strictObject({
        status: z.enum(DUA_STATUSES),
        signed: date.optional(),
        document: text.optional().describe('where the signed agreement is kept'),
      })
      .describe('a data use agreement, needed to receive a limited data set (164.514(e)(4))'),
  })
  .partial();

export const Flow = z.strictObject({
  id: z.string().optional().describe('needed only where two flows join the same pair'),
  from: z.string(),
  to: z.string(),
  tls: tls.optional(),
  on: z.enum(FLOW_CONDITIONS).optional().describe('normal (default), or a failure or debug path'),
  data: classList.optional().describe('what the flow carries; absent = everything its source holds'),
  deidentify: z
    .union([
      z.enum(DEIDENTIFY_METHODS),
      z.strictObject({
        method: z.enum(DEIDENTIFY_METHODS),
        evidence: text.optional().describe('where the determination, the tool configuration or the review is kept'),
      }),
    ])
    .optional()
    .describe(
      'how the flow de-identifies what it carries: safe-harbor or expert-determination (no longer PHI), or limited-data-set (still PHI, under a data use agreement); or { method, evidence }',
    ),
  basis: text
    .optional()
    .describe(
      'why a flow whose `data` carries no PHI from a source that holds PHI has none in it (e.g. "request counters only, no identifiers"): an assertion the reports list for review',
    ),
  transport: z
    .enum(TRANSPORTS)
    .optional()
    .describe('network (default) or local: the flow never crosses a network (same process or host), so TLS does not apply'),
  purpose: text.optional(),
  description: text.optional(),
});

/** `system:` written as a mapping (format 1.1); the plain text form is its name. */
export const SystemInfo = z.strictObject({
  name: text.optional().describe("the system's name"),
  risk_analysis: z
    .strictObject({
      date: date.describe('when the risk analysis was completed or last reviewed'),
      document: text.optional().describe('where the risk analysis is kept'),
      scope: z.array(z.string()).optional().describe('node ids the analysis covers; absent = the whole system'),
    })
    .optional()
    .describe('the most recent risk analysis (164.308(a)(1)(ii)(A))'),
  incident_response: z
    .strictObject({
      document: text.describe('where the incident response plan is kept'),
      tested: date.optional().describe('when the plan was last tested (an exercise or a real incident)'),
    })
    .optional()
    .describe('the security incident response plan (164.308(a)(6))'),
});

/**
 * `system:` as written: text (the name) or a mapping. Files accept any mapping here; the merge checks it against
 * SystemInfo, so each problem in it is reported at its own key with a "did you mean" (a union would report only
 * "invalid input"). Editors get SystemInfo's shape from the JSON Schema (json-schema.ts).
 */
const SystemField = z.union([text, z.record(z.string(), z.unknown())], {
  error: 'must be text (the system name) or a mapping with name, risk_analysis and incident_response',
});

/** `accounts:` (format 1.1): a cloud account live checks read; credentials never come from the map. */
export const Account = z.strictObject({
  provider: z.literal('aws').describe('the cloud provider: aws'),
  account_id: z
    .string({ error: 'account_id must be a quoted 12-digit string ("012345678901"): unquoted, YAML reads a number and drops leading zeros' })
    .regex(/^\d{12}$/, 'account_id must be 12 digits, quoted ("012345678901")')
    .describe('the 12-digit account id, quoted'),
  regions: z
    .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected a region like us-east-1'))
    .min(1)
    .optional()
    .describe('regions to check (default: --region or the SDK default)'),
  role_arn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'expected a role ARN like arn:aws:iam::111122223333:role/phi-audit-read')
    .optional()
    .describe('a read-only role to assume through STS for this account'),
  profile: z.string().min(1).optional().describe('a named profile of the AWS config files to start from (default: --profile or the default chain)'),
  description: text.optional(),
});

/** One entry of `accepted:` (format 1.1 section 4): a finding a team has accepted as a documented risk. */
export const Acceptance = z.strictObject({
  finding: z
    .string()
    .regex(/^[^@\s]+@[^@\s]+$/, { message: 'write RULE@TARGET, e.g. automatic-logoff@review-app (TARGET may use * and ?)' })
    .describe('the finding accepted, RULE@TARGET; TARGET may be a glob with * and ? (review-*)'),
  reason: z.string().trim().min(1, { message: 'say why the risk is accepted' }).describe('why the risk is accepted'),
  alternative: text.optional().describe('the documented alternative measure, for a rule citing an addressable implementation specification (164.306(d)(3))'),
  owner: text.optional().describe('who owns the risk'),
  approved: date.optional().describe('when the acceptance was approved, YYYY-MM-DD'),
  expires: date.optional().describe('the last day the acceptance holds, YYYY-MM-DD; after it the finding counts again'),
  ticket: text.optional().describe('the ticket or document recording the decision'),
});

export const DataClass = z.strictObject({ phi: z.boolean(), description: text.optional() });
export const Environment = z.strictObject({ phi_allowed: z.boolean(), description: text.optional() });

export const MapFile = z.strictObject({
  version: z.literal(1),
  system: SystemField.optional().describe("the system's name, or a mapping with its name, risk analysis and incident response plan"),
  part_of: text.optional().describe("in a phi-map.yaml: the folder (relative to this file's) of the phi-map.yaml whose system this one joins, e.g. `..`"),
  description: text.optional(),
  data_classes: z.record(z.string(), DataClass).optional(),
  environments: z.record(z.string(), Environment).optional(),
  accounts: z.record(z.string(), Account).optional().describe('1.1: cloud accounts that live checks (scan --aws) read'),
  vendors: z.record(z.string(), Vendor).optional(),
  services: z.record(z.string(), Service).optional(),
  stores: z.record(z.string(), Store).optional(),
  logs: z.record(z.string(), Log).optional(),
  flows: z.array(Flow).optional(),
  accepted: z.array(Acceptance).optional().describe('findings accepted as documented risks: shown, marked, and never failing the run'),
});

export type AcceptanceSpec = z.infer<typeof Acceptance>;
export type MapFileSpec = z.infer<typeof MapFile>;
export type ServiceSpec = z.infer<typeof Service>;
export type StoreSpec = z.infer<typeof Store>;
export type LogSpec = z.infer<typeof Log>;
export type VendorSpec = z.infer<typeof Vendor>;
export type FlowSpec = z.infer<typeof Flow>;
export type SystemSpec = z.infer<typeof SystemInfo>;
export type AccountSpec = z.infer<typeof Account>;

export const NODE_SECTIONS = ['vendors', 'services', 'stores', 'logs'] as const;
