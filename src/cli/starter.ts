/** The map `phi-audit init` writes: small, valid, commented, and showing every section. */
export const STARTER_MAP = `# PHI map for phi-audit (format v1): where protected health information goes in this system.
# Describe every service, store, log and vendor that could see PHI, and the flows between them.
# An undeclared flow carries everything its source holds: say what a flow strips, and how.
# Editor completion: \`phi-audit init\` wrote phi-map.schema.json beside this file (\`phi-audit schema\` writes it anew).
# yaml-language-server: $schema=./phi-map.schema.json
version: 1
system: my-clinical-app
description: Replace this example with your own system.

# Data classes beyond the built-in \`phi\` and \`deidentified\`.
data_classes:
  clinical-notes: { phi: true, description: free-text notes written by clinicians }

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
    retains_data: false         # the vendor keeps no copy beyond the services you run
  clinic:
    role: covered-entity        # the client that sends us PHI
    baa: { status: signed, signed: 2025-01-10 }
    data: [phi]

services:
  api:
    description: receives patient records from the clinic
    environment: prod
    hosting: aws/ecs
    interactive: false
    access: { unique_user_ids: true, rbac: true, emergency_access: true }
    audit_log: audit-trail

stores:
  patients-db:
    kind: database
    environment: prod
    hosting: aws/rds
    records: 1200               # individuals whose data is here (breach sizing)
    encryption: { at_rest: aes-256, key: customer-managed }
    access: { unique_user_ids: true, rbac: true, emergency_access: true }
    audit_log: audit-trail
    point_in_time_recovery: true
    backup: patients-backup
  patients-backup:
    kind: backup
    environment: prod
    hosting: aws/s3
    encryption: { at_rest: aes-256, key: customer-managed }
    access: { unique_user_ids: true, rbac: true, emergency_access: true }
    public_access: blocked
    versioning: true
    audit_log: audit-trail

logs:
  audit-trail:
    kind: audit
    environment: prod
    hosting: aws/cloudwatch-logs
    retention_days: 2190        # six years
    tamper_evident: true
    encryption: { at_rest: aes-256, key: customer-managed }
    access: { unique_user_ids: true, rbac: true, emergency_access: true }
  app-logs:
    kind: application
    environment: prod
    hosting: aws/cloudwatch-logs
    retention_days: 30
    encryption: { at_rest: aes-256, key: customer-managed }
    access: { unique_user_ids: true, rbac: true, emergency_access: true }
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
    on: error                   # failure paths carry PHI too unless you say what they strip
    data: [deidentified]
    deidentify: safe-harbor
    tls: "1.2"
`;
