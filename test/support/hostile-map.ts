/** A small map whose free text (system, descriptions, plan, BAA document and scope, hosting, basis, folder name) tries to break out of HTML, DOT, Mermaid and Markdown. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const HOSTILE_MAP = `version: 1
system: "<script>alert('sys')</script> & \\"quotes\\" \\u202E end"
environments:
  prod: { phi_allowed: true }
vendors:
  evil-saas:
    role: business-associate
    description: "</td><script>alert('vendor')</script>"
    plan: "<img src=x onerror=alert('plan')>"
    baa: { status: signed, signed: 2025-01-01, document: "\\"><svg onload=alert('doc')>", services: ["<i>x</i>"] }
  nobaa:
    role: business-associate
    baa: { status: none }
services:
  api:
    environment: prod
    hosting: "evil-saas/<script>x</script>\\"]; x [label=\\"\\\\N"
    data: [phi]
stores:
  db:
    kind: database
    environment: prod
    records: 1200
flows:
  - { from: api, to: db, tls: "1.2" }
  - { from: api, to: nobaa, on: error }
  - from: api
    to: evil-saas
    data: [deidentified]
    basis: "</p><script>alert('basis')</script> \\\\N \\" ] [[x]](javascript:alert(1))"
`;

/** A folder whose name is hostile too, holding the map; returns the folder. */
export function writeHostileMap(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'phi-audit-hostile-')), `<b>"dir&'`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'phi-map.yaml'), HOSTILE_MAP);
  return dir;
}
