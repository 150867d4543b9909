/** `phi-audit catalog [PROVIDER|VENDOR]`, run as users run it. */
import { describe, expect, it } from 'vitest';
import { cli, STACK_TRACE } from './support/cli.js';

const json = (args: string[]) => {
  const r = cli(['catalog', ...args, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

describe('phi-audit catalog', () => {
  it('lists the providers with their counts and dates, and the vendors', () => {
    const r = cli(['catalog']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\s+aws\s+Amazon Web Services\s+173 eligible of 173 listed, 1 not eligible\s+as of 2026-05-22, reviewed 2026-12-06$/m);
    expect(r.stdout).toMatch(/^\s+gcp\s+Google Cloud\s+143 eligible of 143 listed/m);
    expect(r.stdout).toMatch(/^\s+azure\s+Microsoft Azure\s+1 eligible \(partial/m);
    expect(r.stdout).toMatch(/^\s+slack\s+Slack\s+collaboration\s+BAA on some plans/m);
    expect(r.stdout).toMatch(/^\s+pinecone\s+Pinecone\s+vector-database\s+BAA unknown/m);
    expect(r.stdout).toContain('never "not eligible"');
  });

  it('gives the same overview as JSON', () => {
    const out = json([]) as {
      providers: { id: string; eligible: number; listed: number | null; partial: boolean; as_of: string }[];
      vendors: { id: string }[];
    };
    expect(out.providers.map((p) => p.id)).toEqual(['aws', 'gcp', 'azure']);
    expect(out.providers[0]).toMatchObject({ eligible: 173, listed: 173, partial: false, as_of: '2026-05-22' });
    expect(out.providers[2]).toMatchObject({ id: 'azure', listed: null, partial: true });
    expect(out.vendors.map((v) => v.id)).toEqual(expect.arrayContaining(['openai', 'anthropic', 'slack', 'weights-and-biases', 'langsmith', 'hugging-face']));
  });

  it("shows a provider's eligible and ineligible services with their aliases, found by an alias of the provider", () => {
    const r = cli(['catalog', 'amazon']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Amazon Web Services \(aws; also amazon-web-services, amazon\)$/m);
    expect(r.stdout).toContain('Source: https://aws.amazon.com/compliance/hipaa-eligible-services-reference/');
    expect(r.stdout).toMatch(/^\s+transfer-family\s+AWS Transfer Family\s+also transfer, sftp$/m);
    expect(r.stdout).toMatch(/^\s+opensearch\s+Amazon OpenSearch Service\s+also es, elasticsearch, opensearch-service, aoss/m);
    expect(r.stdout).toMatch(/^Not eligible \(1\):\n\s+app-runner\s+AWS App Runner$/m);
  });

  it('says when a list is partial (Azure)', () => {
    const r = cli(['catalog', 'azure']);
    expect(r.stdout).toContain('1 eligible (partial');
    expect(r.stdout).toMatch(/^\s+openai\s+Azure OpenAI \(in Microsoft Foundry\)\s+also azure-openai/m);
    expect(r.stdout).toMatch(/openai: .*text inputs.*\(https:\/\/learn\.microsoft\.com\/.*, as of 2025-05-12\)/);
  });

  it("shows a vendor's BAA terms, its plans under their published names, and the services its BAA covers", () => {
    const r = cli(['catalog', 'slack']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^BAA: offered on some plans$/m);
    expect(r.stdout).toMatch(/^\s+Enterprise Grid \(enterprise-grid, Slack Enterprise Grid\): BAA available$/m);
    expect(r.stdout).toMatch(/^\s+Business\+ \(business-plus, Business Plus\): no BAA$/m);
    expect(r.stdout).toMatch(/^\s+Covered: Messages \(messages, .*File uploads/m);
    expect(r.stdout).toMatch(/^\s+Not covered: .*Workflow Builder workflows .*Incoming webhooks \(webhooks, webhook, incoming-webhook/m);
    expect(r.stdout).toContain('Dates: source undated, reviewed 2026-12-06');
  });

  it('gives a vendor as JSON, found by an alias', () => {
    const out = json(['claude']);
    expect(out).toMatchObject({ kind: 'vendor', id: 'anthropic', baa: 'plan-dependent', reviewed: '2026-11-22' });
    expect(out).not.toHaveProperty('checked');
    expect(Object.keys(out.plans as object)).toEqual(expect.arrayContaining(['api', 'claude-enterprise', 'claude-team', 'claude-free', 'claude-pro']));
  });

  it('shows the retention modes of the AI vendors that have them (Bedrock)', () => {
    const r = cli(['catalog', 'bedrock']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Retention: Model invocation logging .* off by default/m);
  });

  it('refuses an unknown name with exit 2 and a did-you-mean, never a stack trace', () => {
    const r = cli(['catalog', 'slak']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('slak: no provider or vendor of this name in the bundled catalogs: did you mean "slack"?');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    const far = cli(['catalog', 'zzzzzzzz']);
    expect(far.status).toBe(2);
    expect(far.stderr).not.toContain('did you mean');
  });

  it('refuses an unknown format with exit 2', () => {
    const r = cli(['catalog', '--format', 'yaml']);
    expect(r.status).toBe(2);
  });
});
