/**
 * The bundled catalogs (rules/catalog/*.yaml) and their lookups: every list dated and sourced, the counts against the
 * providers' own lists, aliases (API, console and ARN names), three-valued eligibility (eligible, listed as not
 * eligible, unknown with a did-you-mean), plans under their published names, and what a vendor's BAA covers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogFrom, coverageFor, findPlan, loadCatalog, planKey, readCatalogFiles, serviceCoverage, servicesNamed } from '../src/enrich/catalog.js';
import { InputError } from '../src/source/diagnostics.js';
import { ROOT } from './support/cli.js';

const DIR = path.join(ROOT, 'rules', 'catalog');
const data = readCatalogFiles(DIR);
const catalog = catalogFrom(data);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AS_OF = /^(\d{4}-\d{2}(-\d{2})?|undated)$/;

describe('the bundled catalogs', () => {
  it('load from YAML as the pack stores them', () => {
    expect(loadCatalog(DIR).data).toEqual(data);
  });

  it('date and source every provider, vendor, plan and entry', () => {
    const dated: { where: string; source?: string | undefined; as_of?: string | undefined; reviewed?: string | undefined }[] = [];
    for (const [id, p] of Object.entries(data.cloud.providers)) {
      dated.push({ where: id, ...p });
      for (const [s, e] of Object.entries({ ...p.eligible, ...p.ineligible })) if (e.source) dated.push({ where: `${id}/${s}`, ...e });
    }
    for (const [id, v] of Object.entries(data.vendors.vendors)) {
      dated.push({ where: id, ...v });
      for (const [pid, plan] of Object.entries(v.plans ?? {})) if (plan.source) dated.push({ where: `${id} plan ${pid}`, ...plan });
    }
    for (const d of dated) {
      expect(d.source, d.where).toMatch(/^https:\/\//);
      expect(d.as_of, d.where).toMatch(AS_OF);
      if (d.reviewed !== undefined) expect(d.reviewed, d.where).toMatch(DATE);
    }
    // What was reviewed, and when: the last review of each list, never a date in the future of this catalog.
    const reviews = new Set([...Object.values(data.cloud.providers), ...Object.values(data.vendors.vendors)].map((x) => x.reviewed));
    expect([...reviews].sort()).toEqual(['2026-11-22', '2026-12-06']);
  });

  it("hold every service of AWS's and Google Cloud's lists, and say Azure's is partial", () => {
    const { aws, gcp, azure } = data.cloud.providers;
    expect(Object.keys(aws!.eligible)).toHaveLength(aws!.listed!);
    expect(aws!.listed).toBe(173);
    expect(aws!.as_of).toBe('2026-05-22');
    expect(Object.keys(gcp!.eligible)).toHaveLength(gcp!.listed!);
    expect(gcp!.listed).toBe(143);
    expect(gcp!.as_of).toBe('2026-08-11');
    expect(azure!.listed).toBeUndefined();
    expect(catalog.serviceEligibility('azure', 'openai')).toMatchObject({ eligible: true, partial: true });
    expect(azure!.note).toMatch(/could not be read/);
  });

  it.each([
    ['aws', 'dms', 'dms'],
    ['aws', 'database-migration-service', 'dms'],
    ['aws', 'transfer', 'transfer-family'],
    ['aws', 'aoss', 'opensearch'],
    ['aws', 'es', 'opensearch'],
    ['aws', 'bedrock-runtime', 'bedrock'],
    ['aws', 'bedrock-agent-runtime', 'bedrock'],
    ['aws', 'states', 'step-functions'],
    ['aws', 'logs', 'cloudwatch-logs'],
    ['aws', 'monitoring', 'cloudwatch'],
    ['aws', 'comprehendmedical', 'comprehend-medical'],
    ['aws', 'healthlake', 'healthlake'],
    ['aws', 'omics', 'healthomics'],
    ['aws', 'S3', 's3'],
    ['amazon', 'rds_postgres', 'rds'],
    ['gcp', 'vertex-ai', 'gemini-enterprise-agent-platform'],
    ['gcp', 'monitoring', 'cloud-monitoring'],
    ['gcp', 'dataproc', 'managed-spark'],
    ['google-cloud', 'gcs', 'cloud-storage'],
    ['azure', 'openai', 'openai'],
    ['azure', 'azure-openai', 'openai'],
  ])('%s/%s is eligible (as %s)', (provider, service, id) => {
    expect(catalog.serviceEligibility(provider, service)).toMatchObject({ eligible: true, listed: true, service: id });
    expect(catalog.canonicalService(provider, service)).toBe(id);
  });

  it('answer unknown, never "not eligible", for a service they do not know, with the nearest name', () => {
    expect(catalog.serviceEligibility('aws', 'dmss')).toMatchObject({ eligible: undefined, listed: false, suggestion: 'dms' });
    expect(catalog.serviceEligibility('aws', 'lightsail')).toMatchObject({ eligible: undefined, listed: false, suggestion: undefined });
    expect(catalog.serviceEligibility('azure', 'blob-storage')).toMatchObject({ eligible: undefined, partial: true });
    expect(catalog.canonicalService('aws', 'dmss')).toBeUndefined();
  });

  it('fail only what a provider lists, or is known, as not eligible', () => {
    expect(catalog.serviceEligibility('aws', 'app-runner')).toMatchObject({
      eligible: false,
      listed: true,
      source: 'https://github.com/aws/apprunner-roadmap/issues/260',
    });
    expect(catalog.serviceEligibility('gcp', 'google-ai-studio')).toMatchObject({ eligible: false, service: 'gemini-api', reviewed: '2026-11-22' });
  });

  it('know a provider with no service named, and nothing of a provider without a list', () => {
    expect(catalog.serviceEligibility('aws', '')).toMatchObject({ providerId: 'aws', eligible: undefined, listed: false });
    expect(catalog.serviceEligibility('hetzner', 'object-storage')).toBeUndefined();
    expect(catalog.providerId('Amazon')).toBe('aws');
  });

  it('carry the AI stack a healthcare AI team uses, each sourced and dated', () => {
    for (const id of [
      'openai',
      'anthropic',
      'azure-openai',
      'aws-bedrock',
      'google-vertex-ai',
      'weights-and-biases',
      'langsmith',
      'hugging-face',
      'pinecone',
    ]) {
      const v = catalog.vendor(id);
      expect(v, id).toBeDefined();
      expect(v!.reviewed).toBe(id === 'anthropic' ? '2026-11-22' : '2026-12-06');
    }
    expect(catalog.vendor('aws-bedrock')!.retention).toMatch(/invocation logging .*off by default/i);
    expect(catalog.vendor('aws-bedrock')!.retention).toMatch(/abuse detection/);
    // A page that could not be read is unknown, never a guess.
    for (const id of ['langsmith', 'hugging-face', 'pinecone']) expect(catalog.vendor(id)!.baa).toBe('unknown');
    for (const [vendor, plans] of [
      ['openai', ['ChatGPT Free', 'ChatGPT Plus', 'ChatGPT Pro', 'ChatGPT Business', 'ChatGPT Team']],
      ['anthropic', ['Claude Free', 'Claude Pro', 'Claude Max', 'Claude Team']],
    ] as const) {
      for (const plan of plans) expect(findPlan(catalog.vendor(vendor)!, plan)?.plan.baa, `${vendor} ${plan}`).toBe('not-offered');
    }
  });
});

describe('plans under their published names', () => {
  const slack = catalog.vendor('slack')!;

  it.each([
    ['Enterprise Grid', 'enterprise-grid'],
    ['enterprise-grid', 'enterprise-grid'],
    ['ENTERPRISE  GRID', 'enterprise-grid'],
    ['Business+', 'business-plus'],
    ['business plus', 'business-plus'],
    ['business-plus', 'business-plus'],
    ['Pro', 'pro'],
    ['free', 'free'],
  ])('%s is plan %s', (written, id) => {
    expect(findPlan(slack, written)?.id).toBe(id);
  });

  it('match no plan for an unknown or empty name, or a name every object inherits', () => {
    for (const name of ['free-pro-business-plus', '', '+++', 'constructor', '__proto__']) expect(findPlan(slack, name), name).toBeUndefined();
    expect(planKey('Business+')).toBe(planKey('business plus'));
  });
});

describe("what a vendor's BAA covers", () => {
  const slack = catalog.vendor('slack')!;
  const grid = coverageFor(slack, 'Enterprise Grid')!;

  it('comes from the plan, with the source and dates of its list', () => {
    expect(grid).toMatchObject({ plan: 'Enterprise Grid', source: slack.source, as_of: 'undated', reviewed: '2026-12-06' });
    expect(coverageFor(slack, 'Pro')).toBeUndefined();
    expect(coverageFor(slack, undefined)).toBeUndefined();
    expect(coverageFor(catalog.vendor('datadog')!, undefined)).toMatchObject({ covered: { logs: expect.anything() } });
  });

  it('covers messages and files; apps, workflows and webhooks are outside; the rest is unknown', () => {
    expect(serviceCoverage(grid, 'message')).toMatchObject({ covered: true, id: 'messages' });
    expect(serviceCoverage(grid, 'file-uploads')).toMatchObject({ covered: true, id: 'files' });
    for (const s of ['incoming-webhook', 'webhooks', 'workflow-builder', 'bot', 'apps']) expect(serviceCoverage(grid, s).covered, s).toBe(false);
    expect(serviceCoverage(grid, 'huddles')).toEqual({ covered: undefined, suggestion: undefined });
    expect(serviceCoverage(grid, 'webhoks')).toEqual({ covered: undefined, suggestion: 'webhooks' });
  });

  it('reads the services a flow names as whole words, excluded and covered apart', () => {
    expect(servicesNamed(grid, 'alerts to #oncall through an Incoming Webhook')).toEqual({ covered: [], excluded: ['webhooks'] });
    expect(servicesNamed(grid, 'the triage bot posts a message')).toEqual({ covered: ['messages'], excluded: ['apps'] });
    expect(servicesNamed(grid, 'application errors, uploaded')).toEqual({ covered: [], excluded: [] });
    expect(servicesNamed(grid, '')).toEqual({ covered: [], excluded: [] });
  });
});

describe('catalog files as the loader reads them', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const VENDORS_OK = 'vendors:\n  acme: { name: Acme, category: analytics, baa: available, source: "https://acme.example", reviewed: 2026-01-02 }\n';
  const CLOUD_OK = 'providers:\n  nimbus: { name: Nimbus, source: "https://nimbus.example", reviewed: 2026-01-02, eligible: { disk: { name: Disk } } }\n';
  function dirWith(cloud: string, vendors: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-catalog-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'cloud-services.yaml'), cloud);
    writeFileSync(path.join(dir, 'vendors.yaml'), vendors);
    return dir;
  }
  function problems(cloud: string, vendors: string): string[] {
    try {
      readCatalogFiles(dirWith(cloud, vendors));
    } catch (err) {
      if (err instanceof InputError) return err.diagnostics.map((d) => d.message);
      throw err;
    }
    return [];
  }

  it('still reads the old `checked` and `not_eligible` names', () => {
    const old =
      'providers:\n  nimbus:\n    name: Nimbus\n    source: "https://nimbus.example"\n    checked: 2025-11-22\n    eligible: { disk: { name: Disk } }\n    not_eligible: { tape: { name: Tape, note: Never. } }\n';
    const vendors = 'vendors:\n  acme: { name: Acme, category: analytics, baa: unknown, source: "https://acme.example", checked: 2025-11-22 }\n';
    const read = readCatalogFiles(dirWith(old, vendors));
    expect(read.cloud.providers.nimbus).toMatchObject({ reviewed: '2025-11-22', as_of: 'undated', ineligible: { tape: { name: 'Tape' } } });
    expect(read.cloud.providers.nimbus).not.toHaveProperty('checked');
    expect(read.cloud.providers.nimbus).not.toHaveProperty('not_eligible');
    expect(read.vendors.vendors.acme).toMatchObject({ reviewed: '2025-11-22', as_of: 'undated' });
    const c = catalogFrom(read);
    expect(c.serviceEligibility('nimbus', 'tape')).toMatchObject({ eligible: false, checked: '2025-11-22' });
    expect(c.vendor('acme')).toMatchObject({ id: 'acme', checked: '2025-11-22' });
  });

  it('accepts a well-formed pair', () => {
    expect(problems(CLOUD_OK, VENDORS_OK)).toEqual([]);
  });

  it.each([
    ['no review date', 'providers:\n  nimbus: { name: Nimbus, source: "https://nimbus.example", eligible: {} }\n', VENDORS_OK, /reviewed/],
    [
      'both date names',
      'providers:\n  nimbus: { name: Nimbus, source: "https://nimbus.example", reviewed: 2026-01-02, checked: 2026-01-01, eligible: {} }\n',
      VENDORS_OK,
      /old name of `reviewed`/,
    ],
    ['an http source', 'providers:\n  nimbus: { name: Nimbus, source: "http://nimbus.example", reviewed: 2026-01-02, eligible: {} }\n', VENDORS_OK, /https/],
    [
      'a malformed as_of',
      'providers:\n  nimbus: { name: Nimbus, source: "https://nimbus.example", as_of: last week, reviewed: 2026-01-02, eligible: {} }\n',
      VENDORS_OK,
      /as of/,
    ],
    [
      'an alias that names two services',
      'providers:\n  nimbus: { name: Nimbus, source: "https://nimbus.example", reviewed: 2026-01-02, eligible: { disk: { name: Disk, aliases: [blob] }, blob: { name: Blob } } }\n',
      VENDORS_OK,
      /"blob" also names/,
    ],
    [
      'an entry with its own source and no date',
      'providers:\n  nimbus: { name: Nimbus, source: "https://nimbus.example", reviewed: 2026-01-02, eligible: { disk: { name: Disk, source: "https://x.example" } } }\n',
      VENDORS_OK,
      /own source says what date/,
    ],
    [
      'an unknown category',
      CLOUD_OK,
      'vendors:\n  acme: { name: Acme, category: crm, baa: available, source: "https://acme.example", reviewed: 2026-01-02 }\n',
      /category/,
    ],
    [
      'a plan-dependent BAA with no plans',
      CLOUD_OK,
      'vendors:\n  acme: { name: Acme, category: analytics, baa: plan-dependent, source: "https://acme.example", reviewed: 2026-01-02 }\n',
      /lists the plans/,
    ],
    [
      'two plans with one published spelling',
      CLOUD_OK,
      'vendors:\n  acme:\n    name: Acme\n    category: analytics\n    baa: plan-dependent\n    source: "https://acme.example"\n    reviewed: 2026-01-02\n    plans:\n      plus: { name: Plus, baa: available }\n      pro-plus: { aliases: [PLUS], baa: not-offered }\n',
      /"PLUS" also names plan plus/,
    ],
  ])('refuses %s, where it is written', (_what, cloud, vendors, message) => {
    const found = problems(cloud, vendors);
    expect(
      found.some((m) => message.test(m)),
      found.join('\n'),
    ).toBe(true);
  });
});
