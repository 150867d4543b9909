/** unsecured-phi: PHI that is unsecured (164.402) at rest, by public access, or in transit. */
import { expect } from 'vitest';
import { type CheckRow, describeTable } from './tables.js';

const MAP = `
version: 1
services:
  api: { data: [phi] }
  helper: {}
stores:
  sealed: { kind: database, records: 900, encryption: { at_rest: aes-256 } }
  open-bucket: { kind: object-store, records: 40, public_access: allowed, encryption: { at_rest: aes-256 } }
  plain: { kind: database, records: 120, encryption: { at_rest: none } }
  silent: { kind: database }
logs:
  weird: { kind: application, encryption: { at_rest: none } }
flows:
  - { from: api, to: sealed, tls: "1.3" }
  - { from: api, to: open-bucket, tls: "1.3" }
  - { from: api, to: plain, tls: "1.1" }
  - { from: api, to: silent }
  - { from: api, to: weird, tls: none }
  - { from: api, to: helper, transport: local }
`;

const presumption = expect.stringContaining('presumed a breach unless a risk assessment of the four factors in 164.402(2)');

export const table: CheckRow[] = [
  {
    name: 'pass: AES at rest, not public',
    map: MAP,
    target: 'sealed',
    check: { function: 'unsecured-phi' },
    expected: { status: 'pass' },
    reads: [
      { subject: 'sealed', field: 'public_access', provenance: 'undeclared' },
      { subject: 'sealed', field: 'encryption.at_rest', provenance: 'declared', value: 'aes-256' },
    ],
  },
  {
    name: 'fail public: public access makes AES-encrypted PHI unsecured; under 500 goes in the annual log',
    map: MAP,
    target: 'open-bucket',
    check: { function: 'unsecured-phi' },
    expected: { status: 'fail', reason: 'public', args: { exposure: expect.stringContaining('annual log of breaches under 500') } },
  },
  {
    name: 'fail unencrypted: at rest none',
    map: MAP,
    target: 'plain',
    check: { function: 'unsecured-phi' },
    expected: { status: 'fail', reason: 'unencrypted', args: { value: 'none', exposure: presumption } },
    reads: [
      { subject: 'plain', field: 'public_access', provenance: 'undeclared' },
      { subject: 'plain', field: 'encryption.at_rest', provenance: 'declared', value: 'none' },
      { subject: 'plain', field: 'records', provenance: 'declared', value: 120 },
    ],
  },
  {
    name: 'fail unencrypted: a log; undeclared records are treated as 500 or more',
    map: MAP,
    target: 'weird',
    check: { function: 'unsecured-phi' },
    expected: {
      status: 'fail',
      reason: 'unencrypted',
      args: { value: 'none', exposure: expect.stringContaining('treated as 500 or more until records is declared') },
    },
  },
  {
    name: 'fail missing: no encryption declared (the evaluator makes it unknown)',
    map: MAP,
    target: 'silent',
    check: { function: 'unsecured-phi' },
    expected: { status: 'fail', reason: 'missing', args: { field: 'encryption.at_rest', value: 'undeclared', exposure: expect.stringContaining('164.406') } },
  },
  {
    name: 'fail in-transit: TLS 1.1',
    map: MAP,
    target: 'api->plain',
    check: { function: 'unsecured-phi' },
    expected: { status: 'fail', reason: 'in-transit', args: { value: 'TLS 1.1', exposure: presumption } },
  },
  {
    name: 'fail in-transit: no encryption at all',
    map: MAP,
    target: 'api->weird',
    check: { function: 'unsecured-phi' },
    expected: { status: 'fail', reason: 'in-transit', args: { value: 'no encryption', exposure: presumption } },
  },
  {
    name: 'pass: TLS 1.3',
    map: MAP,
    target: 'api->sealed',
    check: { function: 'unsecured-phi' },
    expected: { status: 'pass' },
  },
  {
    name: 'not-applicable: TLS undeclared (transmission-tls reports it)',
    map: MAP,
    target: 'api->silent',
    check: { function: 'unsecured-phi' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: transport local',
    map: MAP,
    target: 'api->helper',
    check: { function: 'unsecured-phi' },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'api->helper', field: 'transport', provenance: 'declared', value: 'local' }],
  },
  {
    name: 'fail unencrypted: a contradicted value is judged by what was observed',
    map: MAP,
    target: 'sealed',
    check: { function: 'unsecured-phi' },
    options: { observations: [{ subject: 'sealed', field: 'encryption.at_rest', observed: 'none', source: 'rds:DescribeDBInstances' }] },
    expected: { status: 'fail', reason: 'unencrypted', args: { value: 'none', exposure: expect.stringContaining('900 individuals') } },
  },
  {
    name: 'not-applicable: a service is not a target it declares',
    map: MAP,
    target: 'api',
    check: { function: 'unsecured-phi' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
];

describeTable(import.meta.url, 'breach', table);
