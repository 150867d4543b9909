/**
 * The editor experience, end to end: the real yaml-language-server (the engine of the VS Code YAML extension), driven
 * over stdio with JSON-RPC, reads the schema `phi-audit schema` writes and must flag the mistakes newcomers make, at
 * their positions, complete field names and enum values, show descriptions with citations, and offer snippets.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STARTER_MAP, TEMPLATES } from '../src/cli/starter.js';
import { cli, ROOT } from './support/cli.js';

// The server as installed (a devDependency), started the way an editor starts it.
const SERVER = path.join(path.dirname(createRequire(import.meta.url).resolve('yaml-language-server/package.json')), 'bin', 'yaml-language-server');
const WAIT_MS = 30_000;

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}
interface Position {
  line: number;
  character: number;
}
interface Diagnostic {
  range: { start: Position; end: Position };
  message: string;
}
interface CompletionItem {
  label: string;
  kind?: number;
  insertText?: string;
}

/** A minimal LSP client: Content-Length framing over the server's stdin and stdout. */
class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private readonly pending = new Map<number, (m: Message) => void>();
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters: (() => void)[] = [];
  stderr = '';

  constructor(private readonly settings: unknown) {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d: Buffer) => this.receive(d));
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
  }

  private receive(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: *(\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.handle(message);
    }
  }

  private handle(m: Message): void {
    if (m.id !== undefined && m.method) {
      // The server asks for its settings (workspace/configuration); everything else it asks gets an empty answer.
      const items = (m.params as { items?: { section?: string }[] }).items ?? [];
      const result = m.method === 'workspace/configuration' ? items.map((i) => (i.section === 'yaml' ? this.settings : null)) : null;
      this.send({ id: m.id, result });
    } else if (m.id !== undefined) {
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    } else if (m.method === 'textDocument/publishDiagnostics') {
      const p = m.params as { uri: string; diagnostics: Diagnostic[] };
      this.diagnostics.set(p.uri, p.diagnostics);
      for (const w of this.waiters.splice(0)) w();
    }
  }

  private send(m: Message): void {
    const text = JSON.stringify({ jsonrpc: '2.0', ...m });
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in ${WAIT_MS} ms; server stderr: ${this.stderr}`)), WAIT_MS);
      this.pending.set(id, (m) => {
        clearTimeout(timer);
        if (m.error) reject(new Error(`${method}: ${m.error.message}`));
        else resolve(m.result as T);
      });
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The diagnostics of `uri` once `done` holds for them (the server may publish an early, partial list). */
  async diagnosticsOf(uri: string, done: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && done(current)) return current;
      if (Date.now() > deadline) throw new Error(`diagnostics of ${uri}: ${JSON.stringify(current)}; server stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 500);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  open(uri: string, text: string): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  async stop(): Promise<void> {
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
    } finally {
      setTimeout(() => this.child.kill(), 2000).unref();
    }
  }
}

// A map with the mistakes newcomers make; line numbers (0-based in LSP) are asserted below.
const MISTAKES = [
  'version: 1', // 0
  'vendors:', // 1
  '  Bad_ID:', // 2  an id with capitals
  '    role: business-associate', // 3
  '    baa: { status: signed, signed: 2025/01/01 }', // 4  a date with slashes
  'services:', // 5
  '  api:', // 6
  '    hosting: self', // 7
  '    interactiv: true', // 8  a misspelt key
  '    records: many', // 9  text where a number goes
  'stores:', // 10
  '  db:', // 11
  '    kind: databse', // 12 not one of the kinds
  '    encryption: { at_rest: aes-256 }', // 13
  'flows:', // 14
  '  - from: api', // 15
  '    to: db', // 16
  '    tls: 1.4', // 17 no such TLS version
  '',
].join('\n');

// A map with places to complete: a new field of a store (line 4), the at_rest value (line 6), a new flow (line 9).
const COMPLETE = [
  'version: 1',
  'stores:',
  '  db:',
  '    kind: database',
  '    ',
  '    encryption:',
  '      at_rest: ',
  'flows:',
  '  - from: api',
  '  - ',
  '',
].join('\n');

let dir: string;
let client: LspClient;
const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).href;
const at = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'phi-lsp-'));
  // The schema as users get it: written by the CLI.
  const schema = cli(['schema', '--output', 'phi-map.schema.json'], { cwd: dir });
  expect(schema.status, schema.stderr).toBe(0);
  const settings = {
    validate: true,
    hover: true,
    completion: true,
    schemas: { [pathToFileURL(path.join(dir, 'phi-map.schema.json')).href]: ['phi-map.yaml', '*.phi.yaml'] },
  };
  client = new LspClient(settings);
  await client.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: {
      workspace: { configuration: true },
      textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown', 'plaintext'] } },
    },
  });
  client.notify('initialized', {});
  client.notify('workspace/didChangeConfiguration', { settings: { yaml: settings } });
}, 60_000);

afterAll(async () => {
  await client?.stop();
});

describe('yaml-language-server with the phi-audit schema', () => {
  it('flags an unknown key, a bad enum value, a bad date, a bad id and a wrong type, at their positions', async () => {
    const uri = uriOf('phi-map.yaml');
    client.open(uri, MISTAKES);
    const diagnostics = await client.diagnosticsOf(uri, (d) => d.length >= 6);
    const found = diagnostics.map((d) => `${at(d)} ${d.message}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "2:2 an id is lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
        '4:35 a date is written YYYY-MM-DD, e.g. 2026-01-15',
        '8:4 Property interactiv is not allowed.',
        '9:13 Incorrect type. Expected "integer".',
        expect.stringMatching(/^12:10 Value is not accepted\. Valid values: "database", "object-store"/),
      ]),
    );
    expect(found).toContain('17:9 Value is not accepted. Valid values: "none", "1.0", "1.1", "1.2", "1.3", 1, 1.1, 1.2, 1.3.');
    // Nothing is flagged on the lines written correctly.
    const lines = new Set(diagnostics.map((d) => d.range.start.line));
    for (const good of [0, 1, 3, 5, 6, 7, 10, 11, 13, 14, 15, 16]) expect(lines.has(good), `line ${good}`).toBe(false);
  }, 60_000);

  it('finds nothing wrong in the starter map, and applies a `# yaml-language-server: $schema=` modeline', async () => {
    const uri = uriOf('starter.yaml'); // not matched by the settings: only the modeline links it to the schema
    expect(STARTER_MAP).toContain('# yaml-language-server: $schema=./phi-map.schema.json');
    client.open(uri, `${STARTER_MAP}bogus_key: 1\n`); // the one mistake shows it was validated
    const own = await client.diagnosticsOf(uri, (list) => list.length > 0);
    expect(own.map((x) => `${at(x)} ${x.message}`)).toEqual([`${STARTER_MAP.split('\n').length - 1}:0 Property bogus_key is not allowed.`]);
    const broken = uriOf('broken.yaml');
    client.open(broken, STARTER_MAP.replace('signed: 2025-01-15', 'signed: 2025/01/15'));
    const d = await client.diagnosticsOf(broken, (list) => list.length > 0);
    expect(d.map((x) => x.message)).toEqual(['a date is written YYYY-MM-DD, e.g. 2026-01-15']);
  }, 60_000);

  it('finds nothing wrong in the init templates', async () => {
    for (const { name } of TEMPLATES) {
      const uri = uriOf(`${name}.phi.yaml`);
      // One known mistake at the end shows the file was validated: it must be the only thing flagged.
      const text = `${readFileSync(path.join(ROOT, 'templates', `${name}.yaml`), 'utf8')}bogus_key: 1\n`;
      client.open(uri, text);
      const d = await client.diagnosticsOf(uri, (list) => list.length > 0);
      expect(
        d.map((x) => `${at(x)} ${x.message}`),
        name,
      ).toEqual([`${text.split('\n').length - 2}:0 Property bogus_key is not allowed.`]);
    }
  }, 60_000);

  it('completes field names and enum values, and offers the snippets', async () => {
    const uri = uriOf('complete.phi.yaml');
    client.open(uri, COMPLETE);
    await client.diagnosticsOf(uri, () => true);
    const complete = async (line: number, character: number) =>
      (await client.request<{ items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri }, position: { line, character } })).items;

    const storeFields = (await complete(4, 4)).map((i) => i.label);
    expect(storeFields).toEqual(expect.arrayContaining(['public_access', 'versioning', 'audit_log', 'backup', 'records', 'disposal']));
    expect(storeFields).not.toContain('kind'); // already there
    expect(storeFields).not.toContain('encryption');

    expect((await complete(6, 15)).map((i) => i.label)).toEqual(['none', 'aes-128', 'aes-192', 'aes-256']);

    const flowItems = await complete(9, 4);
    expect(flowItems.map((i) => i.label)).toEqual(expect.arrayContaining(['from', 'to', 'tls', 'on', 'data', 'deidentify', 'new flow']));
    const snippet = flowItems.find((i) => i.label === 'new flow');
    expect(snippet?.insertText).toMatch(/from: \$\{1:api\}\n\s+to: \$\{2:patients-db\}/);
  }, 60_000);

  it('offers the new service, store, log and vendor snippets in their sections', async () => {
    for (const section of ['services', 'stores', 'logs', 'vendors']) {
      const uri = uriOf(`snippet-${section}.phi.yaml`);
      client.open(uri, `version: 1\n${section}:\n  \n`);
      await client.diagnosticsOf(uri, () => true);
      const items = (
        await client.request<{ items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 2 } })
      ).items;
      const labels = items.map((i) => i.label);
      const expected = { services: 'new service', stores: 'new store', logs: 'new log', vendors: 'new vendor' }[section] as string;
      expect(labels, section).toContain(expected);
      expect(items.find((i) => i.label === expected)?.insertText, section).toMatch(/^\$\{1:[a-z-]+\}:\n/);
    }
  }, 60_000);

  it('shows each field description with its citation on hover', async () => {
    const uri = uriOf('phi-map.yaml');
    const hover = async (line: number, character: number) => {
      const h = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
      return h?.contents.value ?? '';
    };
    expect(await hover(13, 20)).toContain('the algorithm protecting data at rest');
    expect(await hover(13, 20)).toContain('45 CFR 164.312(a)(2)(iv)');
    expect(await hover(17, 5)).toMatch(/TLS version of the connection.*164\.312\(e\)\(1\)/);
    expect(await hover(3, 6)).toMatch(/business-associate .*needs a BAA/);
    expect(await hover(12, 5)).toContain('dead-letter queues');
  }, 60_000);
});
