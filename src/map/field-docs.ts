// biome-ignore-all lint/suspicious/noTemplateCurlyInString: snippet bodies hold the editor's ${1:placeholder} syntax
/**
 * What an editor shows for each field of the map: a description (with the 45 CFR sections of the rules that read the
 * field), examples, and snippets for a new node or flow. json-schema.ts applies these while it generates the JSON
 * Schema from the zod schema; schema.ts stays the single source of truth for the shape.
 *
 * Keys are field paths without record ids or list indexes: `stores.encryption.at_rest`, `flows.tls`,
 * `vendors.baa.signed`. Fields every node kind shares (services, stores, logs) are written once under `node.`.
 */

export interface FieldDoc {
  readonly description: string;
  /** Sections of 45 CFR the rules reading this field cite; shown after the description. */
  readonly cite?: readonly string[];
  readonly examples?: readonly unknown[];
}

const ACCESS_CITE = ['164.312(a)(1)'];

/** Fields of services, stores and logs alike (nodeCommon in schema.ts). */
const NODE: ReadonlyArray<readonly [string, FieldDoc]> = [
  ['description', { description: 'what this node is and does, for the people reading the map and its reports' }],
  ['environment', { description: 'the id of an entry in `environments:` this node runs in', examples: ['prod'] }],
  [
    'hosting',
    {
      description:
        'where it runs: VENDOR/SERVICE for a cloud service (aws/s3), VENDOR for a SaaS, or self; the vendor must be declared and its BAA must cover the service',
      cite: ['164.308(b)(1)', '164.314(a)(1)'],
      examples: ['aws/s3', 'aws/rds', 'self'],
    },
  ],
  [
    'data',
    {
      description: 'data classes that originate or rest here whatever the flows bring: `phi`, `deidentified` or ids from `data_classes:`',
      examples: [['phi']],
    },
  ],
  [
    'records',
    {
      description:
        'how many individuals have data here (breach sizing): a breach of unsecured PHI of 500 or more is reported to HHS at once rather than in the yearly log, and one of more than 500 residents of a State also to the media',
      cite: ['164.404', '164.406', '164.408'],
      examples: [1200],
    },
  ],
  ['access', { description: 'the access controls of this node', cite: ACCESS_CITE }],
  ['access.unique_user_ids', { description: 'every person and service has its own account: no shared logins', cite: ['164.312(a)(2)(i)'] }],
  ['access.mfa', { description: 'people sign in with multi-factor authentication', cite: ['164.312(d)'] }],
  [
    'access.session_timeout_minutes',
    {
      description: 'automatic logoff after this many idle minutes; the bundled rule expects 15 or fewer (common practice)',
      cite: ['164.312(a)(2)(iii)'],
      examples: [15],
    },
  ],
  ['access.emergency_access', { description: 'a documented break-glass procedure gives access to PHI in an emergency', cite: ['164.312(a)(2)(ii)'] }],
  ['access.rbac', { description: 'role-based access limits who can read PHI to those whose job needs it', cite: ['164.312(a)(1)'] }],
  [
    'access.review_interval_days',
    { description: 'who has access is reviewed every this many days', cite: ['164.308(a)(3)(ii)(B)', '164.308(a)(4)(ii)(C)'], examples: [90] },
  ],
  [
    'access.deprovisioning',
    { description: 'how access ends when someone leaves or changes role: automated (an identity provider) or manual', cite: ['164.308(a)(3)(ii)(C)'] },
  ],
  ['audit_log', { description: 'the id of a `logs:` node of kind audit that records who accessed this node', cite: ['164.312(b)'], examples: ['audit-trail'] }],
  ['encryption', { description: 'encryption at rest and who holds the key', cite: ['164.312(a)(2)(iv)'] }],
  [
    'encryption.at_rest',
    {
      description:
        'the algorithm protecting data at rest; PHI encrypted as HHS guidance describes (AES, with the key kept apart) is "secured", and losing secured PHI is not a reportable breach',
      cite: ['164.312(a)(2)(iv)', '164.402'],
    },
  ],
  [
    'encryption.key',
    { description: 'who controls the key: provider-managed, or customer-managed (a key you can revoke; common practice for PHI)', cite: ['164.312(a)(2)(iv)'] },
  ],
  [
    'backup',
    {
      description: 'the id of a `stores:` node that holds the backups of this node (an exact copy of PHI)',
      cite: ['164.308(a)(7)(ii)(A)'],
      examples: ['patients-backup'],
    },
  ],
];

const DATE = ['2026-01-15'];
const DOCUMENT = ['compliance/risk-analysis-2026.pdf'];

const OWN: ReadonlyArray<readonly [string, FieldDoc]> = [
  ['version', { description: 'the map format version: always 1 in this release', examples: [1] }],
  ['system', { description: "the system's name, or a mapping with its name, risk analysis and incident response plan", examples: ['my-clinical-app'] }],
  [
    'part_of',
    {
      description:
        "in a phi-map.yaml below another: the folder (relative to this file's) of the phi-map.yaml whose system this one joins; without it, each phi-map.yaml is a system of its own",
      examples: ['..'],
    },
  ],
  ['system.name', { description: "the system's name, as reports print it", examples: ['my-clinical-app'] }],
  ['system.risk_analysis', { description: "the system's most recent risk analysis", cite: ['164.308(a)(1)(ii)(A)'] }],
  [
    'system.risk_analysis.date',
    {
      description: 'when the risk analysis was completed or last reviewed, YYYY-MM-DD; the bundled rule expects a review within a year (common practice)',
      cite: ['164.308(a)(1)(ii)(A)', '164.316(b)(2)(iii)'],
      examples: DATE,
    },
  ],
  ['system.risk_analysis.document', { description: 'where the risk analysis is kept', examples: DOCUMENT }],
  ['system.risk_analysis.scope', { description: 'the node ids the analysis covers; absent means the whole system', cite: ['164.308(a)(1)(ii)(A)'] }],
  ['system.incident_response', { description: 'the security incident response plan', cite: ['164.308(a)(6)'] }],
  ['system.incident_response.document', { description: 'where the incident response plan is kept', examples: ['compliance/incident-response.md'] }],
  [
    'system.incident_response.tested',
    { description: 'when the plan was last tested (an exercise or a real incident), YYYY-MM-DD', cite: ['164.308(a)(6)(ii)'], examples: DATE },
  ],
  ['description', { description: 'what this map (or this file of it) describes' }],
  ['data_classes', { description: 'data classes beyond the built-in `phi` and `deidentified`, by id' }],
  ['data_classes.phi', { description: 'whether this class is protected health information', cite: ['160.103'] }],
  ['data_classes.description', { description: 'what the class holds' }],
  ['environments', { description: 'the environments nodes run in, by id (prod, staging...)' }],
  [
    'environments.phi_allowed',
    { description: 'whether PHI may be in this environment; PHI reaching one where it is not allowed is a finding', cite: ['164.308(a)(4)(i)', '164.502(b)'] },
  ],
  ['environments.description', { description: 'what the environment is for, e.g. "synthetic data only"' }],
  ['accounts.description', { description: 'what this account is for, e.g. "production PHI workloads"' }],

  ['vendors', { description: 'outside organizations that receive, hold or send PHI, by id (aws, openai, the clinic that sends you records)' }],
  [
    'vendors.role',
    {
      description:
        'business-associate (handles PHI for you: needs a BAA), covered-entity (the client that sends you PHI), or treatment-provider (receives PHI to treat the patient: no BAA needed)',
      cite: ['160.103', '164.502(e)(1)'],
    },
  ],
  ['vendors.description', { description: 'what the vendor does with the data' }],
  ['vendors.baa', { description: 'the business associate agreement with this vendor', cite: ['164.308(b)(1)', '164.314(a)(1)', '164.502(e)(1)'] }],
  [
    'vendors.baa.status',
    { description: 'signed, pending, none, or not-required (say why in the vendor description)', cite: ['164.308(b)(1)', '164.502(e)(1)'] },
  ],
  ['vendors.baa.signed', { description: 'the date the BAA was signed, YYYY-MM-DD', cite: ['164.308(b)(1)'], examples: DATE }],
  ['vendors.baa.expires', { description: 'the date the BAA ends, YYYY-MM-DD; after it (at --as-of) it is no longer in force', examples: ['2027-01-15'] }],
  [
    'vendors.baa.services',
    {
      description: "the vendor's services the BAA covers, as in `hosting:` (s3, rds...); absent means the whole vendor",
      cite: ['164.314(a)(1)'],
      examples: [['s3', 'rds']],
    },
  ],
  ['vendors.baa.document', { description: 'where the signed agreement is kept', examples: ['contracts/aws-baa.pdf'] }],
  ['vendors.baa.terminated', { description: 'the date the BAA was terminated, YYYY-MM-DD; on or before --as-of it is no longer in force', examples: DATE }],
  [
    'vendors.baa.disposition',
    { description: 'what became of the PHI at termination: returned, destroyed, or infeasible (protections extended)', cite: ['164.504(e)(2)(ii)(J)'] },
  ],
  [
    'vendors.baa.breach_notice_days',
    { description: 'days the BAA gives the vendor to report a breach to you; at most 60', cite: ['164.410(b)(1)', '164.504(e)(2)(ii)(C)'], examples: [30] },
  ],
  [
    'vendors.subprocessors',
    {
      description: 'ids of the vendors this vendor passes the data to; each needs its own BAA with the vendor',
      cite: ['164.502(e)(1)(ii)', '164.308(b)(2)'],
      examples: [['aws']],
    },
  ],
  [
    'vendors.retains_data',
    { description: 'the vendor keeps, or trains models on, what it receives beyond providing its service', cite: ['164.504(e)(2)(i)', '164.502(a)(3)'] },
  ],
  ['vendors.data', { description: 'data classes that originate at this vendor (a covered entity sending PHI)', examples: [['phi']] }],
  [
    'vendors.catalog',
    { description: 'the id of this vendor in the bundled vendor catalog (`phi-audit catalog`); default: the vendor id', examples: ['openai'] },
  ],
  ['vendors.plan', { description: 'the vendor plan in use, where BAA availability depends on it (`phi-audit catalog VENDOR`)', examples: ['enterprise'] }],
  ['vendors.dua', { description: 'the data use agreement needed to receive a limited data set', cite: ['164.514(e)(4)'] }],
  ['vendors.dua.status', { description: 'signed, pending or none', cite: ['164.514(e)(4)'] }],
  ['vendors.dua.signed', { description: 'the date the data use agreement was signed, YYYY-MM-DD', examples: DATE }],
  ['vendors.dua.document', { description: 'where the signed agreement is kept', examples: ['contracts/research-dua.pdf'] }],

  ['services', { description: 'programs that handle PHI (APIs, workers, jobs), by id' }],
  [
    'services.interactive',
    { description: 'people log in to it; interactive services are held to MFA and automatic logoff', cite: ['164.312(d)', '164.312(a)(2)(iii)'] },
  ],

  ['stores', { description: 'places data rests (databases, buckets, queues, caches, datasets, models, backups, devices), by id' }],
  [
    'stores.kind',
    {
      description:
        'what kind of store; dead-letter queues, caches, datasets and models hold PHI like any database, and the rules that apply depend on the kind',
    },
  ],
  ['stores.public_access', { description: 'blocked or allowed: whether anyone on the internet can reach it', cite: ['164.312(a)(1)', '164.308(a)(4)(i)'] }],
  ['stores.versioning', { description: 'earlier versions of objects are kept, so an altered or deleted record can be recovered', cite: ['164.312(c)(1)'] }],
  ['stores.managed', { description: 'kind: device only: the device is centrally managed (MDM, disk encryption enforced)', cite: ['164.310(d)(1)'] }],
  ['stores.object_lock', { description: 'write-once retention protects objects from alteration (an integrity safeguard)', cite: ['164.312(c)(1)'] }],
  ['stores.point_in_time_recovery', { description: 'the database can be restored to any point in time (an integrity safeguard)', cite: ['164.312(c)(1)'] }],
  [
    'stores.disposal',
    {
      description: 'how the media is wiped before disposal or re-use: nist-800-88, crypto-erase or vendor-certified',
      cite: ['164.310(d)(2)(i)', '164.310(d)(2)(ii)'],
    },
  ],

  ['logs', { description: 'logs, traces, metrics and error trackers, by id: each is a store PHI can reach' }],
  [
    'logs.kind',
    {
      description:
        'application, audit (the record of who accessed PHI), trace, metrics or error-tracking; traces, metrics and error trackers are expected to hold no PHI',
      cite: ['164.312(b)', '164.502(b)'],
    },
  ],
  [
    'logs.retention_days',
    {
      description: 'how many days entries are kept; the bundled rule expects six years (2190 days) for audit logs, which is common practice',
      cite: ['164.312(b)'],
      examples: [2190],
    },
  ],
  [
    'logs.tamper_evident',
    { description: 'entries cannot be altered or deleted unnoticed (write-once storage, digests)', cite: ['164.312(b)', '164.312(c)(1)'] },
  ],
  ['logs.review', { description: 'kind: audit only: how the audit log is reviewed', cite: ['164.308(a)(1)(ii)(D)'] }],
  ['logs.review.method', { description: 'siem, alerting or manual', cite: ['164.308(a)(1)(ii)(D)'] }],
  ['logs.review.interval_days', { description: 'people review the log (or its reports) every this many days', cite: ['164.308(a)(1)(ii)(D)'], examples: [7] }],

  ['data_classes.*', { description: 'a data class: whether it is PHI, and what it holds' }],
  ['environments.*', { description: 'an environment: whether PHI may be in it' }],
  ['vendors.*', { description: 'a vendor: its role, its BAA, and what it does with the data' }],
  ['services.*', { description: 'a service: where it runs, its access controls and audit log' }],
  ['stores.*', { description: 'a store: its kind, encryption, access controls, audit log and backup' }],
  ['logs.*', { description: 'a log: its kind, retention, encryption and access controls' }],
  ['flows[]', { description: 'a flow: from a node to a node, with the data it carries and how it is protected' }],
  ['flows', { description: 'where data moves: every connection between nodes, including error, retry and debug paths' }],
  ['flows.id', { description: 'an id for the flow, needed only where two flows join the same pair', examples: ['api-to-db-nightly'] }],
  ['flows.from', { description: 'the id of the node the data leaves (a service, store, log or vendor)', examples: ['api'] }],
  ['flows.to', { description: 'the id of the node the data reaches', examples: ['patients-db'] }],
  [
    'flows.tls',
    {
      description: 'the TLS version of the connection: "1.2" or "1.3" protect PHI in transit; "none", "1.0" and "1.1" do not',
      cite: ['164.312(e)(1)', '164.312(e)(2)(ii)'],
    },
  ],
  ['flows.on', { description: 'when the flow happens: normal (default), or a failure or debug path (error, retry, debug), which carries PHI too' }],
  [
    'flows.data',
    { description: 'the data classes the flow carries; absent means everything its source holds (fail-closed)', examples: [['request-metadata']] },
  ],
  [
    'flows.deidentify',
    {
      description:
        'how the flow de-identifies what it carries: safe-harbor or expert-determination (no longer PHI), or limited-data-set (still PHI, under a data use agreement); or { method, evidence }',
      cite: ['164.514(a)', '164.514(b)', '164.514(e)'],
    },
  ],
  ['flows.deidentify.method', { description: 'safe-harbor, expert-determination or limited-data-set', cite: ['164.514(b)', '164.514(e)'] }],
  [
    'flows.deidentify.evidence',
    { description: 'where the determination, the tool configuration or the review is kept', examples: ['docs/deid-expert-determination-2026.pdf'] },
  ],
  [
    'flows.basis',
    {
      description:
        'why a flow whose `data` carries no PHI from a source that holds PHI has none in it (e.g. "request counters only, no identifiers"): an assertion the reports list for review',
    },
  ],
  ['flows.transport', { description: 'network (default) or local: the flow never crosses a network (same process or host), so TLS does not apply' }],
  ['flows.purpose', { description: 'why the data moves (minimum necessary: say what the recipient needs it for)', cite: ['164.502(b)'] }],
  ['flows.description', { description: 'what the flow is, for the people reading the map' }],
];

const NODE_SECTIONS = ['services', 'stores', 'logs'] as const;

const DOCS: ReadonlyMap<string, FieldDoc> = new Map([...OWN, ...NODE_SECTIONS.flatMap((s) => NODE.map(([k, d]) => [`${s}.${k}`, d] as const))]);

/** The doc of the field at `path` (record ids and list indexes left out), if there is one. */
export function fieldDoc(path: string): FieldDoc | undefined {
  return DOCS.get(path);
}

/** Every documented path: the meta-test checks each names a real field. */
export const documentedPaths = (): string[] => [...DOCS.keys()];

/** The description an editor shows: the text, then the sections of 45 CFR it rests on. */
export function describeField(doc: FieldDoc): string {
  return doc.cite?.length ? `${doc.description} (45 CFR ${doc.cite.join(', ')})` : doc.description;
}

/** A snippet yaml-language-server offers where a new entry can be written (`defaultSnippets`). */
export interface Snippet {
  readonly label: string;
  readonly description: string;
  readonly body: unknown;
}

const ACCESS_BODY = { unique_user_ids: true, rbac: true, emergency_access: true, review_interval_days: 90, deprovisioning: 'automated' };

/** Snippets by the path of the mapping or list they add an entry to. */
export const SNIPPETS: ReadonlyMap<string, readonly Snippet[]> = new Map<string, readonly Snippet[]>([
  [
    'services',
    [
      {
        label: 'new service',
        description: 'a service with its hosting, access controls and audit log',
        body: {
          '${1:api}': {
            description: '${2:what it does}',
            environment: '${3:prod}',
            hosting: '${4:aws/ecs}',
            interactive: false,
            access: ACCESS_BODY,
            audit_log: '${5:audit-trail}',
          },
        },
      },
    ],
  ],
  [
    'stores',
    [
      {
        label: 'new store',
        description: 'a store with encryption, access, audit log and backup',
        body: {
          '${1:patients-db}': {
            kind: '${2|database,object-store,queue,dead-letter-queue,cache,filesystem,dataset,model,backup,device,removable-media|}',
            environment: '${3:prod}',
            hosting: '${4:aws/rds}',
            records: 0,
            encryption: { at_rest: 'aes-256', key: 'customer-managed' },
            public_access: 'blocked',
            access: ACCESS_BODY,
            audit_log: '${5:audit-trail}',
            backup: '${6:patients-backup}',
          },
        },
      },
    ],
  ],
  [
    'logs',
    [
      {
        label: 'new log',
        description: 'an application, trace or error log: encrypted, with its retention',
        body: {
          '${1:app-logs}': {
            kind: '${2|application,audit,trace,metrics,error-tracking|}',
            environment: '${3:prod}',
            hosting: '${4:aws/cloudwatch-logs}',
            retention_days: 30,
            encryption: { at_rest: 'aes-256', key: 'customer-managed' },
            access: ACCESS_BODY,
            audit_log: '${5:audit-trail}',
          },
        },
      },
      {
        label: 'new audit log',
        description: 'an audit log: six years of retention (common practice), tamper-evident and reviewed',
        body: {
          '${1:audit-trail}': {
            kind: 'audit',
            environment: '${2:prod}',
            hosting: '${3:aws/cloudwatch-logs}',
            retention_days: 2190,
            tamper_evident: true,
            review: { method: '${4|siem,alerting,manual|}', interval_days: 7 },
            encryption: { at_rest: 'aes-256', key: 'customer-managed' },
            access: ACCESS_BODY,
          },
        },
      },
    ],
  ],
  [
    'vendors',
    [
      {
        label: 'new vendor',
        description: 'a business associate with its BAA',
        body: {
          '${1:vendor-id}': {
            role: 'business-associate',
            description: '${2:what the vendor does with the data}',
            baa: {
              status: '${3|signed,pending,none,not-required|}',
              signed: '${4:2026-01-15}',
              document: '${5:contracts/vendor-baa.pdf}',
              breach_notice_days: 30,
            },
            retains_data: false,
          },
        },
      },
    ],
  ],
  [
    'flows',
    [
      {
        label: 'new flow',
        description: 'a flow between two nodes over TLS',
        body: [{ from: '${1:api}', to: '${2:patients-db}', tls: '${3|1.3,1.2|}' }],
      },
      {
        label: 'new failure path',
        description: 'an error path that carries only what it declares, and says why',
        body: [
          {
            from: '${1:api}',
            to: '${2:error-tracker}',
            on: '${3|error,retry,debug|}',
            data: ['${4:request-metadata}'],
            basis: '${5:what the handler sends, and why it holds no identifiers}',
            tls: '1.3',
          },
        ],
      },
    ],
  ],
  [
    'flows[]',
    [
      {
        label: 'new flow',
        description: 'a flow between two nodes over TLS',
        body: { from: '${1:api}', to: '${2:patients-db}', tls: '${3|1.3,1.2|}' },
      },
    ],
  ],
]);
