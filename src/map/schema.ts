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
export const STORE_KINDS = ['database', 'object-store', 'queue', 'dead-letter-queue', 'cache', 'filesystem', 'dataset', 'model', 'backup', 'device'] as const;
export const LOG_KINDS = ['application', 'audit', 'trace', 'metrics', 'error-tracking'] as const;
export const TLS_VERSIONS = ['none', '1.0', '1.1', '1.2', '1.3'] as const;
export const FLOW_CONDITIONS = ['normal', 'error', 'retry', 'debug'] as const;
export const DEIDENTIFY_METHODS = ['safe-harbor', 'expert-determination'] as const;
export const BAA_STATUSES = ['signed', 'pending', 'none', 'not-required'] as const;
export const VENDOR_ROLES = ['business-associate', 'covered-entity'] as const;

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
  })
  .partial();

export const Log = z
  .strictObject({
    ...nodeCommon,
    kind: z.enum(LOG_KINDS),
    retention_days: z.number().int().nonnegative(),
    tamper_evident: z.boolean(),
  })
  .partial();

export const Baa = z.strictObject({
  status: z.enum(BAA_STATUSES),
  signed: date.optional(),
  expires: date.optional(),
  services: z.array(z.string()).optional().describe('services the BAA covers; absent = the whole vendor'),
  document: text.optional().describe('where the signed agreement is kept'),
});

export const Vendor = z
  .strictObject({
    role: z.enum(VENDOR_ROLES),
    description: text,
    baa: Baa,
    subprocessors: z.array(z.string()).describe('vendor ids this vendor passes data to'),
    retains_data: z.boolean().describe('the vendor keeps or trains on what it receives'),
    data: classList.describe('extension: data classes that originate at this vendor (a covered entity sending PHI)'),
    catalog: z.string().describe('extension: id of this vendor in the bundled vendor catalog (default: the vendor id)'),
    plan: z.string().describe('extension: the vendor plan in use, for plan-dependent BAA availability'),
  })
  .partial();

export const Flow = z.strictObject({
  id: z.string().optional().describe('needed only where two flows join the same pair'),
  from: z.string(),
  to: z.string(),
  tls: tls.optional(),
  on: z.enum(FLOW_CONDITIONS).optional().describe('normal (default), or a failure or debug path'),
  data: classList.optional().describe('what the flow carries; absent = everything its source holds'),
  deidentify: z.enum(DEIDENTIFY_METHODS).optional(),
  purpose: text.optional(),
  description: text.optional(),
});

export const DataClass = z.strictObject({ phi: z.boolean(), description: text.optional() });
export const Environment = z.strictObject({ phi_allowed: z.boolean(), description: text.optional() });

export const MapFile = z.strictObject({
  version: z.literal(1),
  system: text.optional(),
  description: text.optional(),
  data_classes: z.record(z.string(), DataClass).optional(),
  environments: z.record(z.string(), Environment).optional(),
  vendors: z.record(z.string(), Vendor).optional(),
  services: z.record(z.string(), Service).optional(),
  stores: z.record(z.string(), Store).optional(),
  logs: z.record(z.string(), Log).optional(),
  flows: z.array(Flow).optional(),
});

export type MapFileSpec = z.infer<typeof MapFile>;
export type ServiceSpec = z.infer<typeof Service>;
export type StoreSpec = z.infer<typeof Store>;
export type LogSpec = z.infer<typeof Log>;
export type VendorSpec = z.infer<typeof Vendor>;
export type FlowSpec = z.infer<typeof Flow>;

export const NODE_SECTIONS = ['vendors', 'services', 'stores', 'logs'] as const;
