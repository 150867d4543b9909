/**
 * The malformed-input corpus: every broken PHI map and rule file must make the real CLI exit 2 with
 * `file:line:column: message` lines on stderr, nothing on stdout and never a stack trace.
 *
 * Each case names its expected diagnostic lines in full, so a changed position or wording fails the case.
 *
 * Assumes dist/ is built (`npm test` runs `npm run build` first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'dist', 'bin', 'phi-audit.js');
const MAPS = 'fixtures/malformed';
const RULES = 'fixtures/malformed-rules';
/** A small valid map; the rule cases fail while loading rules, before anything is evaluated. */
const RULES_MAP = `${RULES}/valid-map.yaml`;
/** Fixed so no case depends on today's date. */
const AS_OF = '2026-01-01';

interface Case {
  name: string;
  args: string[];
  /** Every diagnostic line expected on stderr, in output order. */
  lines: string[];
  /** A safety guard (not a speed target): the run must finish within this many milliseconds. */
  maxMs?: number;
}

const validate = (...files: string[]): string[] => ['validate', ...files.map((f) => `${MAPS}/${f}`)];
const rules = (dir: string): string[] => ['scan', RULES_MAP, '--rules', `${RULES}/${dir}`, '--as-of', AS_OF];

/** A diagnostic line: `file:line:column: message`. */
const DIAGNOSTIC = /^\S.*?:\d+:\d+: /;

const CASES: Case[] = [
  {
    name: 'audit-log-names-store',
    args: validate('audit-log-names-store.yaml'),
    lines: ['fixtures/malformed/audit-log-names-store.yaml:4:16: audit_log must name a node under logs:, but "backups" is a store'],
  },
  {
    name: 'baa-missing-status',
    args: validate('baa-missing-status.yaml'),
    lines: ['fixtures/malformed/baa-missing-status.yaml:5:5: vendors.aws.baa.status is required: use one of "signed", "pending", "none", "not-required"'],
  },
  {
    name: 'backup-names-itself',
    args: validate('backup-names-itself.yaml'),
    lines: ['fixtures/malformed/backup-names-itself.yaml:5:13: backup of "db" names the node itself'],
  },
  {
    name: 'backup-names-log',
    args: validate('backup-names-log.yaml'),
    lines: ['fixtures/malformed/backup-names-log.yaml:4:13: backup must name a node under stores:, but "app-logs" is a log'],
  },
  {
    name: 'bad-at-rest',
    args: validate('bad-at-rest.yaml'),
    lines: ['fixtures/malformed/bad-at-rest.yaml:5:16: stores.db.encryption.at_rest is the text "aes-512"; use one of "none", "aes-128", "aes-192", "aes-256"'],
  },
  {
    name: 'bad-baa-status',
    args: validate('bad-baa-status.yaml'),
    lines: [
      'fixtures/malformed/bad-baa-status.yaml:6:15: vendors.aws.baa.status is the text "signd"; use one of "signed", "pending", "none", "not-required" (did you mean "signed"?)',
    ],
  },
  {
    name: 'bad-deidentify',
    args: validate('bad-deidentify.yaml'),
    lines: [
      'fixtures/malformed/bad-deidentify.yaml:9:17: flows[0].deidentify is the text "safeharbor"; use one of "safe-harbor", "expert-determination", "limited-data-set" (did you mean "safe-harbor"?)',
    ],
  },
  {
    name: 'bad-flow-on',
    args: validate('bad-flow-on.yaml'),
    lines: ['fixtures/malformed/bad-flow-on.yaml:9:9: flows[0].on is the text "failure"; use one of "normal", "error", "retry", "debug"'],
  },
  {
    name: 'bad-indentation',
    args: validate('bad-indentation.yaml'),
    lines: [
      'fixtures/malformed/bad-indentation.yaml:5:4: YAML: `description:` is indented 3 spaces, which lines it up with no key above it: indent it 4 spaces to put it beside `interactive:` (line 4): `    description: the public API`, or 2 spaces to put it beside `api:` (line 3): `  description: the public API`',
    ],
  },
  {
    name: 'bad-public-access',
    args: validate('bad-public-access.yaml'),
    lines: ['fixtures/malformed/bad-public-access.yaml:5:20: stores.bucket.public_access is the text "public"; use one of "blocked", "allowed"'],
  },
  {
    name: 'bad-store-kind',
    args: validate('bad-store-kind.yaml'),
    lines: [
      'fixtures/malformed/bad-store-kind.yaml:4:11: stores.db.kind is the text "databse"; use one of "database", "object-store", "queue", "dead-letter-queue", "cache", "filesystem", "dataset", "model", "backup", "device", "removable-media" (did you mean "database"?)',
    ],
  },
  {
    name: 'bad-tls-number',
    args: validate('bad-tls-number.yaml'),
    lines: ['fixtures/malformed/bad-tls-number.yaml:9:10: flows[0].tls: unknown TLS version 1.4: use one of "none", "1.0", "1.1", "1.2", "1.3"'],
  },
  {
    name: 'bad-tls-string',
    args: validate('bad-tls-string.yaml'),
    lines: ['fixtures/malformed/bad-tls-string.yaml:9:10: flows[0].tls is the text "1.4"; use one of "none", "1.0", "1.1", "1.2", "1.3"'],
  },
  {
    name: 'billion-laughs',
    args: validate('billion-laughs.yaml'),
    lines: [
      'fixtures/malformed/billion-laughs.yaml:3:8: YAML aliases expand past 10000 nodes ("billion laughs"): write the values out or use fewer nested aliases',
    ],
    // Alias expansion is a denial-of-service vector: it must be refused, and refused fast.
    maxMs: 5_000,
  },
  {
    name: 'comment-only',
    args: validate('comment-only.yaml'),
    lines: ['fixtures/malformed/comment-only.yaml:1:1: the file holds only comments: a PHI map starts with `version: 1`'],
  },
  {
    name: 'cross-file-both-invalid',
    args: validate('cross-file-both-invalid/api.yaml', 'cross-file-both-invalid/db.yaml'),
    lines: [
      'fixtures/malformed/cross-file-both-invalid/api.yaml:4:5: unknown key "interactve" in services.api: did you mean "interactive"? (allowed: description, environment, hosting, data, records, access, audit_log, encryption, backup, account, resource, interactive)',
      'fixtures/malformed/cross-file-both-invalid/db.yaml:4:11: stores.db.kind is the text "databse"; use one of "database", "object-store", "queue", "dead-letter-queue", "cache", "filesystem", "dataset", "model", "backup", "device", "removable-media" (did you mean "database"?)',
    ],
  },
  {
    name: 'cross-file-duplicate-id',
    args: validate('cross-file-duplicate-id/billing.yaml', 'cross-file-duplicate-id/shared.yaml'),
    lines: [
      'fixtures/malformed/cross-file-duplicate-id/shared.yaml:4:3: duplicate id "patients-db": also declared at fixtures/malformed/cross-file-duplicate-id/billing.yaml:5:3 (ids are one namespace across vendors, services, stores and logs)',
    ],
  },
  {
    name: 'cross-file-flow-typo',
    args: validate('cross-file-flow-typo/billing.yaml', 'cross-file-flow-typo/shared.yaml'),
    lines: [
      'fixtures/malformed/cross-file-flow-typo/billing.yaml:6:9: flow to "patient-db" is not a declared vendor, service, store or log (did you mean "patients-db"?)',
    ],
  },
  {
    name: 'data-string',
    args: validate('data-string.yaml'),
    lines: ['fixtures/malformed/data-string.yaml:4:11: services.ehr-ingest.data must be a list, not the text "phi"'],
  },
  {
    name: 'date-not-real',
    args: validate('date-not-real.yaml'),
    lines: ['fixtures/malformed/date-not-real.yaml:7:15: vendors.aws.baa.signed: expected a real calendar date written YYYY-MM-DD'],
  },
  {
    name: 'date-slashes',
    args: validate('date-slashes.yaml'),
    lines: ['fixtures/malformed/date-slashes.yaml:7:15: vendors.aws.baa.signed: expected a real calendar date written YYYY-MM-DD'],
  },
  {
    name: 'deep-flow-nesting',
    args: validate('deep-flow-nesting.yaml'),
    lines: [
      'fixtures/malformed/deep-flow-nesting.yaml:4:271: YAML: lists or mappings in [ ] or { } nested more than 256 levels deep: a PHI map needs a few levels; look for unbalanced brackets',
    ],
  },
  {
    name: 'duplicate-flow-pair',
    args: validate('duplicate-flow-pair.yaml'),
    lines: [
      'fixtures/malformed/duplicate-flow-pair.yaml:9:5: flow "api->db" is declared twice, also at fixtures/malformed/duplicate-flow-pair.yaml:7:5: give one of them an `id:` so findings can tell them apart',
    ],
  },
  {
    name: 'duplicate-id-across-sections',
    args: validate('duplicate-id-across-sections.yaml'),
    lines: [
      'fixtures/malformed/duplicate-id-across-sections.yaml:5:3: duplicate id "reports": also declared at fixtures/malformed/duplicate-id-across-sections.yaml:3:3 (ids are one namespace across vendors, services, stores and logs)',
    ],
  },
  {
    name: 'duplicate-key',
    args: validate('duplicate-key.yaml'),
    lines: [
      'fixtures/malformed/duplicate-key.yaml:5:5: YAML: duplicate key "interactive": each key may appear once in a mapping (first at line 4): keep one `interactive:`, or if these are two entries, give one another name',
    ],
  },
  {
    name: 'empty-file',
    args: validate('empty-file.yaml'),
    lines: ['fixtures/malformed/empty-file.yaml:1:1: the file is empty: a PHI map starts with `version: 1`'],
  },
  {
    name: 'environment-undeclared',
    args: validate('environment-undeclared.yaml'),
    lines: ['fixtures/malformed/environment-undeclared.yaml:7:18: environment "production" is not declared under environments:'],
  },
  {
    name: 'flow-to-itself',
    args: validate('flow-to-itself.yaml'),
    lines: ['fixtures/malformed/flow-to-itself.yaml:6:9: flow from "api" to itself: a flow joins two different nodes'],
  },
  {
    name: 'flow-undeclared-node',
    args: validate('flow-undeclared-node.yaml'),
    lines: [
      'fixtures/malformed/flow-undeclared-node.yaml:7:11: flow from "ehr-ingset" is not a declared vendor, service, store or log (did you mean "ehr-ingest"?)',
    ],
  },
  {
    name: 'hosting-names-service',
    args: validate('hosting-names-service.yaml'),
    lines: ['fixtures/malformed/hosting-names-service.yaml:6:14: hosting must name a vendor, but "platform" is a service'],
  },
  {
    name: 'hosting-undeclared-vendor',
    args: validate('hosting-undeclared-vendor.yaml'),
    lines: [
      'fixtures/malformed/hosting-undeclared-vendor.yaml:7:14: hosting names vendor "asw", which is not declared under vendors: (did you mean "aws"?); declare it with its BAA, or write hosting: self',
    ],
  },
  {
    name: 'id-space',
    args: validate('id-space.yaml'),
    lines: ["fixtures/malformed/id-space.yaml:3:3: node id \"patient db\" must be lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"],
  },
  {
    name: 'id-uppercase',
    args: validate('id-uppercase.yaml'),
    lines: [
      "fixtures/malformed/id-uppercase.yaml:3:3: node id \"ApiServer\" must be lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
    ],
  },
  {
    name: 'interactive-string',
    args: validate('interactive-string.yaml'),
    lines: ['fixtures/malformed/interactive-string.yaml:4:18: services.portal.interactive must be true or false, not the text "yes"'],
  },
  {
    name: 'managed-non-device',
    args: validate('managed-non-device.yaml'),
    lines: ['fixtures/malformed/managed-non-device.yaml:5:5: managed applies only to kind: device stores; "db" is kind: database'],
  },
  {
    name: 'review-non-audit',
    args: validate('review-non-audit.yaml'),
    lines: ['fixtures/malformed/review-non-audit.yaml:5:5: review applies only to kind: audit logs; "app-logs" is kind: application'],
  },
  {
    name: 'system-mapping',
    args: validate('system-mapping.yaml'),
    lines: [
      'fixtures/malformed/system-mapping.yaml:4:3: unknown key "risk_analsis" in system: did you mean "risk_analysis"? (allowed: name, risk_analysis, incident_response)',
      'fixtures/malformed/system-mapping.yaml:7:13: system.incident_response.tested: expected a real calendar date written YYYY-MM-DD',
    ],
  },
  {
    name: 'system-not-text-or-mapping',
    args: validate('system-not-text-or-mapping.yaml'),
    lines: [
      'fixtures/malformed/system-not-text-or-mapping.yaml:2:9: system: must be text (the system name) or a mapping with name, risk_analysis and incident_response',
    ],
  },
  {
    name: 'risk-analysis-scope-undeclared',
    args: validate('risk-analysis-scope-undeclared.yaml'),
    lines: [
      'fixtures/malformed/risk-analysis-scope-undeclared.yaml:6:22: risk_analysis.scope names "notes-bd", which is not a declared vendor, service, store or log (did you mean "notes-db"?)',
    ],
  },
  {
    name: 'missing-version',
    args: validate('missing-version.yaml'),
    lines: ['fixtures/malformed/missing-version.yaml:1:1: missing `version: 1`: every PHI map file starts with it'],
  },
  {
    name: 'multiple-documents',
    args: validate('multiple-documents.yaml'),
    lines: ['fixtures/malformed/multiple-documents.yaml:4:1: YAML: more than one YAML document (---) in this file: put each map in a file of its own'],
  },
  {
    name: 'null-audit-log',
    args: validate('null-audit-log.yaml'),
    lines: ['fixtures/malformed/null-audit-log.yaml:4:5: services.api.audit_log must be text, not nothing (an empty value)'],
  },
  {
    name: 'records-negative',
    args: validate('records-negative.yaml'),
    lines: ['fixtures/malformed/records-negative.yaml:4:14: stores.db.records must be at least 0, not -5'],
  },
  {
    name: 'records-string',
    args: validate('records-string.yaml'),
    lines: ['fixtures/malformed/records-string.yaml:4:14: stores.db.records must be a number, not the text "many"'],
  },
  {
    name: 'redeclared-phi-class',
    args: validate('redeclared-phi-class.yaml'),
    lines: ['fixtures/malformed/redeclared-phi-class.yaml:3:3: data class "phi" is built in and cannot be redeclared'],
  },
  {
    name: 'session-timeout-zero',
    args: validate('session-timeout-zero.yaml'),
    lines: ['fixtures/malformed/session-timeout-zero.yaml:6:32: services.portal.access.session_timeout_minutes must be more than 0, not 0'],
  },
  {
    name: 'several-reference-errors',
    args: validate('several-reference-errors.yaml'),
    lines: [
      'fixtures/malformed/several-reference-errors.yaml:4:18: environment "prod" is not declared under environments:',
      'fixtures/malformed/several-reference-errors.yaml:5:16: audit_log names "audit-log", which is not declared under logs:',
      'fixtures/malformed/several-reference-errors.yaml:8:13: backup names "snapshots", which is not declared under stores:',
      'fixtures/malformed/several-reference-errors.yaml:11:9: flow to "dbb" is not a declared vendor, service, store or log (did you mean "db"?)',
    ],
  },
  {
    name: 'several-schema-errors',
    args: validate('several-schema-errors.yaml'),
    lines: [
      'fixtures/malformed/several-schema-errors.yaml:4:18: services.api.interactive must be true or false, not the text "yes"',
      'fixtures/malformed/several-schema-errors.yaml:5:5: unknown key "encription" in services.api: did you mean "encryption"? (allowed: description, environment, hosting, data, records, access, audit_log, encryption, backup, account, resource, interactive)',
      'fixtures/malformed/several-schema-errors.yaml:9:11: stores.db.kind is the text "databse"; use one of "database", "object-store", "queue", "dead-letter-queue", "cache", "filesystem", "dataset", "model", "backup", "device", "removable-media" (did you mean "database"?)',
      'fixtures/malformed/several-schema-errors.yaml:10:14: stores.db.records must be at least 0, not -1',
    ],
  },
  {
    name: 'subprocessor-itself',
    args: validate('subprocessor-itself.yaml'),
    lines: ['fixtures/malformed/subprocessor-itself.yaml:5:21: vendor "llm-co" names itself as its own subprocessor'],
  },
  {
    name: 'subprocessor-not-vendor',
    args: validate('subprocessor-not-vendor.yaml'),
    lines: ['fixtures/malformed/subprocessor-not-vendor.yaml:5:21: subprocessor "gpu-cluster" must be a vendor, but it is a service'],
  },
  {
    name: 'subprocessor-undeclared',
    args: validate('subprocessor-undeclared.yaml'),
    lines: ['fixtures/malformed/subprocessor-undeclared.yaml:5:21: subprocessor "azure" is not declared under vendors:'],
  },
  {
    name: 'tab-indentation',
    args: validate('tab-indentation.yaml'),
    lines: [
      'fixtures/malformed/tab-indentation.yaml:3:1: YAML: line 3 is indented with a tab: YAML indents with spaces only. Use spaces, lined up with the keys it belongs beside, e.g. `  api: {}`',
    ],
  },
  {
    name: 'top-level-list',
    args: validate('top-level-list.yaml'),
    lines: [
      'fixtures/malformed/top-level-list.yaml:1:1: a PHI map must be a YAML mapping (key: value lines) starting with `version: 1`, but this file is a list',
    ],
  },
  {
    name: 'top-level-scalar',
    args: validate('top-level-scalar.yaml'),
    lines: [
      'fixtures/malformed/top-level-scalar.yaml:1:1: a PHI map must be a YAML mapping (key: value lines) starting with `version: 1`, but this file is a string',
    ],
  },
  {
    name: 'undefined-alias',
    args: validate('undefined-alias.yaml'),
    lines: [
      'fixtures/malformed/undefined-alias.yaml:3:8: YAML: a value starting with * is a YAML alias (a reference to an anchor written &name), and no anchor &api-defaults is written before it: define the anchor above (`name: &api-defaults ...`), or, to keep the text, put it in quotes: `  api: "*api-defaults"`',
    ],
  },
  {
    name: 'unknown-access-key',
    args: validate('unknown-access-key.yaml'),
    lines: [
      'fixtures/malformed/unknown-access-key.yaml:6:7: unknown key "session_timout_minutes" in services.api.access: did you mean "session_timeout_minutes"? (allowed: unique_user_ids, mfa, session_timeout_minutes, emergency_access, rbac, review_interval_days, deprovisioning)',
    ],
  },
  {
    name: 'unknown-class-flow',
    args: validate('unknown-class-flow.yaml'),
    lines: ['fixtures/malformed/unknown-class-flow.yaml:13:28: unknown data class "lab-results": declare it under data_classes: with phi: true or false'],
  },
  {
    name: 'unknown-class-node',
    args: validate('unknown-class-node.yaml'),
    lines: [
      'fixtures/malformed/unknown-class-node.yaml:7:12: unknown data class "clinical-note" (did you mean "clinical-notes"?): declare it under data_classes: with phi: true or false',
    ],
  },
  {
    name: 'unknown-encryption-key',
    args: validate('unknown-encryption-key.yaml'),
    lines: ['fixtures/malformed/unknown-encryption-key.yaml:6:7: unknown key "kms_key" in stores.db.encryption (allowed: at_rest, key)'],
  },
  {
    name: 'unknown-node-key',
    args: validate('unknown-node-key.yaml'),
    lines: [
      'fixtures/malformed/unknown-node-key.yaml:5:5: unknown key "encription" in stores.db: did you mean "encryption"? (allowed: description, environment, hosting, data, records, access, audit_log, encryption, backup, account, resource, kind, public_access, versioning, managed, object_lock, point_in_time_recovery, disposal)',
    ],
  },
  {
    name: 'unknown-section',
    args: validate('unknown-section.yaml'),
    lines: [
      'fixtures/malformed/unknown-section.yaml:6:1: unknown key "flow" at the top level: did you mean "flows"? (allowed: version, system, part_of, description, data_classes, environments, accounts, vendors, services, stores, logs, flows, accepted)',
    ],
  },
  {
    name: 'version-2',
    args: validate('version-2.yaml'),
    lines: ['fixtures/malformed/version-2.yaml:1:10: unsupported map version 2: this build of phi-audit reads version 1'],
  },
  {
    name: 'version-string',
    args: validate('version-string.yaml'),
    lines: ['fixtures/malformed/version-string.yaml:1:10: version must be the number 1, not the text "1": write `version: 1` without quotes'],
  },
  {
    name: 'yaml-syntax-error',
    args: validate('yaml-syntax-error.yaml'),
    lines: ['fixtures/malformed/yaml-syntax-error.yaml:4:18: YAML: Missing closing "quote'],
  },
  {
    name: 'rules/bad-citation-section',
    args: rules('bad-citation-section'),
    lines: ['fixtures/malformed-rules/bad-citation-section/team-mfa.yaml:5:14: cite[0].section: expected a section like 164.312(a)(2)(iv)'],
  },
  {
    name: 'rules/bad-severity',
    args: rules('bad-severity'),
    lines: [
      'fixtures/malformed-rules/bad-severity/team-mfa.yaml:3:11: severity is the text "hihg"; use one of "critical", "high", "medium", "low", "info" (did you mean "high"?)',
    ],
  },
  {
    name: 'rules/duplicate-builtin-id',
    args: rules('duplicate-builtin-id'),
    lines: [
      'fixtures/malformed-rules/duplicate-builtin-id/mfa.yaml:2:5: duplicate rule id "mfa": also defined in rules/mfa.yaml; give a team rule an id of its own',
    ],
  },
  {
    name: 'rules/empty-citation-list',
    args: rules('empty-citation-list'),
    lines: ['fixtures/malformed-rules/empty-citation-list/team-mfa.yaml:4:7: cite must not be empty'],
  },
  {
    name: 'rules/function-not-applicable',
    args: rules('function-not-applicable'),
    lines: [
      'fixtures/malformed-rules/function-not-applicable/team-baa.yaml:13:13: check function "baa-in-force" does not apply to service targets (it applies to vendor)',
    ],
  },
  {
    name: 'rules/id-not-file-name',
    args: rules('id-not-file-name'),
    lines: ['fixtures/malformed-rules/id-not-file-name/team-mfa.yaml:1:5: rule id "team-mfa-v2" must match its file name "team-mfa"'],
  },
  {
    name: 'rules/missing-citation',
    args: rules('missing-citation'),
    lines: ['fixtures/malformed-rules/missing-citation/team-mfa.yaml:1:1: cite is required'],
  },
  {
    name: 'rules/nested-unknown-function',
    args: rules('nested-unknown-function'),
    lines: [
      'fixtures/malformed-rules/nested-unknown-function/team-mfa.yaml:18:19: unknown check function "feild-present": did you mean "field-present"? (see `phi-audit rules --functions`)',
    ],
  },
  {
    name: 'rules/option-wrong-type',
    args: rules('option-wrong-type'),
    lines: ['fixtures/malformed-rules/option-wrong-type/team-retention.yaml:16:10: check.options.min must be a number, not the text "six years"'],
  },
  {
    name: 'rules/several-errors',
    args: rules('several-errors'),
    lines: [
      'fixtures/malformed-rules/several-errors/team-mfa.yaml:3:11: severity is the text "urgent"; use one of "critical", "high", "medium", "low", "info"',
      'fixtures/malformed-rules/several-errors/team-mfa.yaml:7:21: cite[0].implementation is the text "optional"; use one of "standard", "required", "addressable", "implementation-specification", "definition", "provision"',
      'fixtures/malformed-rules/several-errors/team-mfa.yaml:11:22: applies_to.targets[1] is the text "device"; use one of "service", "store", "log", "vendor", "flow" (did you mean "service"?)',
    ],
  },
  {
    name: 'rules/unknown-applies-to-key',
    args: rules('unknown-applies-to-key'),
    lines: [
      'fixtures/malformed-rules/unknown-applies-to-key/team-cache.yaml:12:3: unknown key "kind" in applies_to: did you mean "kinds"? (allowed: targets, kinds, exclude_kinds, phi, when)',
    ],
  },
  {
    name: 'rules/unknown-function',
    args: rules('unknown-function'),
    lines: [
      'fixtures/malformed-rules/unknown-function/team-mfa.yaml:13:13: unknown check function "field-equal": did you mean "field-equals"? (see `phi-audit rules --functions`)',
    ],
  },
  {
    name: 'rules/unknown-option-key',
    args: rules('unknown-option-key'),
    lines: [
      'fixtures/malformed-rules/unknown-option-key/team-mfa.yaml:14:3: check.options.field is required',
      'fixtures/malformed-rules/unknown-option-key/team-mfa.yaml:14:14: unknown key "feild" in check.options: did you mean "field"? (allowed: field, missing, value)',
    ],
  },
  {
    name: 'rules/unknown-top-level-key',
    args: rules('unknown-top-level-key'),
    lines: [
      'fixtures/malformed-rules/unknown-top-level-key/team-mfa.yaml:1:1: severity is required: use one of "critical", "high", "medium", "low", "info"',
      'fixtures/malformed-rules/unknown-top-level-key/team-mfa.yaml:3:1: unknown key "severty" at the top level: did you mean "severity"? (allowed: id, title, severity, cite, rationale, remediation, applies_to, check, undeclared, message, folds, acceptable, escalate)',
    ],
  },
  {
    name: 'rules/yaml-syntax-error',
    args: rules('yaml-syntax-error'),
    lines: [
      'fixtures/malformed-rules/yaml-syntax-error/team-mfa.yaml:11:12: YAML: this [ is not closed on its line: end the list with ], as in `  targets: [service]`, or write it as indented lines',
    ],
  },
  {
    // scan reports map and rule problems in one run.
    name: 'map-and-rule-errors-together',
    args: ['scan', `${MAPS}/bad-store-kind.yaml`, '--rules', `${RULES}/bad-severity`, '--as-of', AS_OF],
    lines: [
      'fixtures/malformed/bad-store-kind.yaml:4:11: stores.db.kind is the text "databse"; use one of "database", "object-store", "queue", "dead-letter-queue", "cache", "filesystem", "dataset", "model", "backup", "device", "removable-media" (did you mean "database"?)',
      'fixtures/malformed-rules/bad-severity/team-mfa.yaml:3:11: severity is the text "hihg"; use one of "critical", "high", "medium", "low", "info" (did you mean "high"?)',
    ],
  },
];

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string; ms: number; error?: Error } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.PHI_AUDIT_DEBUG;
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started, ...(r.error ? { error: r.error } : {}) };
}

function check(c: Case): void {
  const r = runCli(c.args);
  expect(r.error, `the CLI did not finish: ${String(r.error)}`).toBeUndefined();
  if (c.maxMs !== undefined) expect(r.ms, `took ${Math.round(r.ms)} ms`).toBeLessThan(c.maxMs);
  expect(r.stderr, 'a stack trace on stderr').not.toMatch(/\n\s+at /);
  expect(r.stdout, 'stdout must stay empty when the input is wrong').toBe('');
  expect(r.status, `exit code (stderr: ${r.stderr})`).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  const diagnostics = lines.filter((l) => DIAGNOSTIC.test(l));
  // Anything else on stderr is the one-line summary, never a stray message without a position.
  expect(lines.filter((l) => !DIAGNOSTIC.test(l) && !l.startsWith('phi-audit: '))).toEqual([]);
  for (const line of c.lines) expect(diagnostics, 'expected line missing').toContain(line);
  expect(diagnostics).toEqual(c.lines);
  expect(diagnostics).toHaveLength(c.lines.length);
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

describe('malformed inputs exit 2 with file:line:column messages', () => {
  it('has a corpus of at least 30 maps and 8 rule files', () => {
    expect(CASES.filter((c) => c.args[0] === 'validate').length).toBeGreaterThanOrEqual(30);
    expect(CASES.filter((c) => c.args.includes('--rules')).length).toBeGreaterThanOrEqual(8);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(c.name, () => check(c), 30_000);
  }
});
