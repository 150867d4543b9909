import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package.js';

/**
 * The starters `phi-audit init --template NAME` writes: realistic maps for common shapes of system, each a YAML file
 * under templates/ in the package, each scanning clean with the bundled rules (test/templates.test.ts).
 */
export const TEMPLATES = [
  { name: 'llm-app', about: 'an app that sends PHI to an LLM API: error tracker, dead-letter queue, debug log, traces, vendor subprocessors' },
  { name: 'ml-training', about: 'model training on clinical data: de-identified training set, rejected rows, inference capture, experiment tracker' },
  { name: 'ehr-integration', about: 'an HL7/FHIR interface engine: raw message log, dead-letter queue, SMS and an email vendor without a BAA' },
] as const;

export const templateNames = (): string[] => TEMPLATES.map((t) => t.name);

/** The text of a bundled template, by a name from TEMPLATES (the caller checks the name). */
export function templateText(name: string): string {
  return readFileSync(path.join(packageRoot(), 'templates', `${name}.yaml`), 'utf8');
}

/** The map `phi-audit init` writes without --template: small, valid, commented, and showing every section. */
export const STARTER_MAP = `# PHI map for phi-audit (format v1): where protected health information goes in this system.
# Describe every service, store, log and vendor that could see PHI, and the flows between them.
# An undeclared flow carries everything its source holds: say what a flow strips, and how.
# Editor completion: \`phi-audit init\` wrote phi-map.schema.json beside this file (\`phi-audit schema\` writes it anew).
# yaml-language-server: $schema=./phi-map.schema.json
version: 1
system:
  name: my-clinical-app
  risk_analysis:                # 164.308(a)(1)(ii)(A): the system's risk analysis, reviewed at least yearly
    date: 2026-09-01
    document: compliance/risk-analysis-2026.pdf
  incident_response:            # 164.308(a)(6): the plan, and when it was last exercised
    document: compliance/incident-response.md
    tested: 2026-06-15
description: Replace this example with your own system.

# Data classes beyond the built-in \`phi\` and \`deidentified\`.
data_classes:
  clinical-notes: { phi: true, description: free-text notes written by clinicians }
  request-metadata: { phi: false, description: "status codes, latencies and error types; no identifiers" }

environments:
  prod: { phi_allowed: true }
  staging: { phi_allowed: false, description: synthetic data only }

vendors:
  aws:
    role: business-associate
    baa:
      status: signed            # signed | pending | none | not-required
      signed: 2025-01-15
      services: [ecs, rds, s3, cloudwatch-logs]
      document: contracts/aws-baa.pdf
      breach_notice_days: 30    # the BAA's deadline to tell you of a breach (164.410 allows at most 60)
    retains_data: false         # the vendor keeps no copy beyond the services you run
  clinic:
    role: covered-entity        # the client that sends us PHI
    baa: { status: signed, signed: 2025-01-10, document: contracts/clinic-baa.pdf }
    data: [phi]

services:
  api:
    description: receives patient records from the clinic
    environment: prod
    hosting: aws/ecs
    interactive: false
    access: &access             # the same access controls, written once and reused below
      unique_user_ids: true
      rbac: true
      emergency_access: true
      review_interval_days: 90  # who has access is reviewed quarterly
      deprovisioning: automated # access ends when someone leaves (identity provider + SCIM)
    audit_log: audit-trail

stores:
  patients-db:
    kind: database
    environment: prod
    hosting: aws/rds
    records: 1200               # individuals whose data is here (breach sizing)
    encryption: { at_rest: aes-256, key: customer-managed }
    public_access: blocked
    access: *access
    audit_log: audit-trail
    point_in_time_recovery: true
    backup: patients-backup
  patients-backup:
    kind: backup
    environment: prod
    hosting: aws/s3
    records: 1200
    encryption: { at_rest: aes-256, key: customer-managed }
    access: *access
    public_access: blocked
    versioning: true
    audit_log: audit-trail

logs:
  audit-trail:
    kind: audit
    environment: prod
    hosting: aws/cloudwatch-logs
    records: 1200
    retention_days: 2190        # six years: common practice, set by your retention policy
    tamper_evident: true
    review: { method: alerting, interval_days: 7 }   # 164.308(a)(1)(ii)(D): someone looks at it
    encryption: { at_rest: aes-256, key: customer-managed }
    access: *access
  app-logs:
    kind: application
    environment: prod
    hosting: aws/cloudwatch-logs
    retention_days: 30
    encryption: { at_rest: aes-256, key: customer-managed }
    access: *access
    audit_log: audit-trail

flows:
  - from: clinic
    to: api
    tls: "1.3"
  - from: api
    to: patients-db
    tls: "1.2"
  - from: api
    to: app-logs
    on: error                   # failure paths carry PHI too, unless you say what they carry and why
    data: [request-metadata]
    basis: the error handler logs status, latency and error type only; request bodies are never logged
    tls: "1.2"
`;
