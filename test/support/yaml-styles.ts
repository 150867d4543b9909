/**
 * A YAML writer for generated maps that varies the style everywhere, so the fast reader is tested on what people
 * write, not just on what `yaml.stringify` writes: anchors and aliases, merge keys (`<<: *x`, `<<: [*x, *y]`),
 * plain, single- and double-quoted scalars, multi-line plain and quoted scalars, block scalars (`|` and `>`, with
 * clip, strip and keep chomping), flow collections on one line and over several, indentless lists, comments on
 * their own lines and after values, CRLF line ends, a byte order mark, `---` and `...` markers.
 *
 * Every choice comes from a seeded generator, so a failing sample is reproduced from its seed and the printed text.
 * The text reads back (with the exact parser) as the same value as the document it was written from.
 */
import fc from 'fast-check';
import { mulberry32 } from '../../bench/generate.mjs';
import { resolvePlain } from '../../src/source/fast-read.js';
import { type ValidSample, validMapArb } from './arbitraries.js';

export interface StyleFlags {
  crlf: boolean;
  bom: boolean;
  docStart: boolean;
  docEnd: boolean;
  /** Spaces per level: 2, 3 or 4. */
  indent: number;
  /** Lists under a key written at the key's own indentation (`flows:\n- from: a`). */
  indentless: boolean;
  comments: number;
  anchors: number;
  merges: number;
  flow: number;
  quotes: number;
  blocks: number;
  multiline: number;
}

export interface StyledSample {
  sample: ValidSample;
  flags: StyleFlags;
  seed: number;
  text: string;
}

const flagsArb: fc.Arbitrary<StyleFlags> = fc.record({
  crlf: fc.boolean(),
  bom: fc.boolean(),
  docStart: fc.boolean(),
  docEnd: fc.boolean(),
  indent: fc.constantFrom(2, 2, 3, 4),
  indentless: fc.boolean(),
  comments: fc.constantFrom(0, 0.1, 0.3),
  anchors: fc.constantFrom(0, 0.2, 0.5),
  merges: fc.constantFrom(0, 0.5, 1),
  flow: fc.constantFrom(0, 0.2, 0.5, 0.9),
  quotes: fc.constantFrom(0, 0.2, 0.6),
  blocks: fc.constantFrom(0, 0.3, 0.8),
  multiline: fc.constantFrom(0, 0.3),
});

type Value = unknown;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

const PLAIN = /^[A-Za-z0-9_./(][A-Za-z0-9 _./()+-]*$/;

/** Written as a plain scalar, `s` reads back as the same text (in block and flow context alike). */
function plainSafe(s: string): boolean {
  return PLAIN.test(s) && !s.endsWith(' ') && !s.includes('  ') && resolvePlain(s) === s && !/^(?:---|\.\.\.)/.test(s);
}

/** A YAML double-quoted scalar for any text: printable characters as they are, everything else escaped. */
function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (
      (cp >= 0x20 && cp <= 0x7e) ||
      (cp >= 0xa0 && cp <= 0xd7ff && cp !== 0x2028 && cp !== 0x2029) ||
      (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) ||
      cp >= 0x10000
    )
      out += ch;
    else out += `\\u${cp.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

const singleSafe = (s: string): boolean => /^[\x20-\x7e\u00a0-\ud7ff]*$/.test(s);

class Writer {
  private readonly r: () => number;
  private readonly lines: string[] = [];
  private anchorCount = 0;
  /** Anchored values; `open` while the value is being written (an alias inside it would be recursive). */
  private readonly anchored: { name: string; value: Value; open: boolean }[] = [];
  /** After a keep-chomped block scalar a blank line would become part of it. */
  private noBlank = false;

  constructor(
    seed: number,
    private readonly f: StyleFlags,
  ) {
    this.r = mulberry32(seed);
  }

  private chance(p: number): boolean {
    return this.r() < p;
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.r() * list.length)]!;
  }

  private comment(): string {
    return this.chance(this.f.comments) ? ` # ${this.pick(['note', 'key: value', '- not a list', '"quoted" #hash', 'ünï'])}` : '';
  }

  private commentLines(indent: number): void {
    while (this.chance(this.f.comments / 2))
      this.lines.push(`${' '.repeat(Math.floor(this.r() * (indent + 1)))}#${this.pick(['', ' between entries', ' a: b'])}`);
    if (!this.noBlank && this.chance(this.f.comments / 3)) this.lines.push('');
    this.noBlank = false;
  }

  /** An alias to an earlier anchored value equal to `v`, when one exists and the dice say so. */
  private alias(v: Value): string | undefined {
    if (!this.chance(this.f.anchors * 1.5)) return undefined;
    for (let i = this.anchored.length - 1; i >= 0; i--) {
      const a = this.anchored[i]!;
      if (!a.open && deepEqual(a.value, v)) return `*${a.name}`;
    }
    return undefined;
  }

  /** `&name ` for `v` (or nothing); the anchor stays open until `close()`. */
  private anchor(v: Value): string {
    if (!this.chance(this.f.anchors)) return '';
    const name = `${this.pick(['a', 'base', 'x', 'n'])}${this.anchorCount++}`;
    this.anchored.push({ name, value: v, open: true });
    return `&${name} `;
  }

  private close(anchor: string): void {
    const a = this.anchored.find((x) => `&${x.name} ` === anchor);
    if (a) a.open = false;
  }

  private key(k: string): string {
    if (plainSafe(k) && !this.chance(this.f.quotes / 2)) return k;
    if (singleSafe(k) && this.chance(0.5)) return `'${k.replace(/'/g, "''")}'`;
    return doubleQuoted(k);
  }

  /** A scalar that fits on one line (flow context, or after `key: `). */
  private scalar(v: Value, flow: boolean): string {
    if (v === null) return this.pick(flow ? ['null', '~', 'Null'] : ['null', '~', 'NULL', '']);
    if (typeof v === 'boolean') return v ? this.pick(['true', 'True', 'TRUE']) : this.pick(['false', 'False', 'FALSE']);
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return this.pick(['.nan', '.NaN']);
      if (v === Infinity) return this.pick(['.inf', '+.inf', '.Inf']);
      if (v === -Infinity) return '-.inf';
      if (Object.is(v, -0)) return '-0';
      if (Number.isInteger(v) && v >= 0 && v <= 0xffff && this.chance(0.2)) return `0x${v.toString(16)}`;
      if (Number.isInteger(v) && Math.abs(v) < 1e15 && this.chance(0.2)) return `${v}.0`;
      return String(v);
    }
    const s = String(v);
    if (plainSafe(s) && !this.chance(this.f.quotes)) return s;
    if (singleSafe(s) && this.chance(0.5)) return `'${s.replace(/'/g, "''")}'`;
    return doubleQuoted(s);
  }

  /** Lines for a string value after `key:` at `indent`, in a block scalar or over several lines, or undefined. */
  private multiLine(s: string, indent: number): string[] | undefined {
    const pad = ' '.repeat(indent + this.f.indent);
    const printable = /^[\x20-\x7e\u00a0-\ud7ff\n]*$/.test(s) && !s.includes('\r');
    if (this.chance(this.f.blocks) && printable && s.trim() !== '' && /^[^ \n]/.test(s)) {
      // Literal: the text as its lines; chomping chosen by the trailing line breaks.
      const body = s.replace(/\n+$/, '');
      const trailing = s.length - body.length;
      if (body.split('\n').every((l) => l === '' || !l.startsWith(' ')) && !/ $/m.test(body)) {
        const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
        const lines = body.split('\n').map((l) => (l === '' ? '' : pad + l));
        const extra = trailing > 1 ? Array.from({ length: trailing - 1 }, () => '') : [];
        const folded = !body.includes('\n') && !/ {2}/.test(body) && body.includes(' ') && this.chance(0.5);
        if (folded) {
          // Folded: the words spread over lines, which folding joins with single spaces again.
          const words = body.split(' ');
          const cut = 1 + Math.floor(this.r() * (words.length - 1));
          return [`>${chomp}${this.comment()}`, pad + words.slice(0, cut).join(' '), pad + words.slice(cut).join(' '), ...extra];
        }
        // Sometimes with an explicit indentation indicator (relative to the key's indentation).
        const indicator = this.chance(0.3) ? String(this.f.indent) : '';
        return [`|${this.pick([`${indicator}${chomp}`, `${chomp}${indicator}`])}${this.comment()}`, ...lines, ...extra];
      }
    }
    // The second part starts with a letter or digit: folding drops the spaces that begin a continuation line.
    const pair = /^([A-Za-z0-9]+) ([A-Za-z0-9](?:[A-Za-z0-9 ]*[A-Za-z0-9])?)$/.exec(s);
    if (pair && this.chance(this.f.multiline)) {
      // Quoted over two lines: folding turns the line break into the space again (or an escaped break, into nothing).
      return this.pick([
        [`'${pair[1]}`, `${pad}${pair[2]}'`],
        [`"${pair[1]} \\`, `${pad}${pair[2]}"`],
        [`"${pair[1]}\\`, `${pad}\\ ${pair[2]}"`],
      ]);
    }
    const para = /^([A-Za-z0-9][A-Za-z0-9 ]*[A-Za-z0-9]|[A-Za-z0-9])\n([A-Za-z0-9][A-Za-z0-9 ]*)$/.exec(s);
    if (para && plainSafe(para[1]!) && plainSafe(para[2]!.trimEnd()) && para[2] === para[2]!.trimEnd() && this.chance(this.f.multiline * 2)) {
      // Plain over lines with an empty line between: the empty line is the line break.
      return [para[1]!, '', `${pad}${para[2]}`];
    }
    if (this.chance(this.f.multiline) && plainSafe(s) && s.includes(' ')) {
      const words = s.split(' ');
      const cut = 1 + Math.floor(this.r() * (words.length - 1));
      // A continuation line must not read as a list item or a comment.
      if (/^[A-Za-z0-9]/.test(words[cut]!)) return [words.slice(0, cut).join(' '), pad + words.slice(cut).join(' ')];
    }
    if (this.chance(this.f.multiline) && /^[a-z0-9]+( [a-z0-9]+)+$/i.test(s)) {
      const words = s.split(' ');
      const cut = 1 + Math.floor(this.r() * (words.length - 1));
      return [`"${words.slice(0, cut).join(' ')}`, `${pad}${words.slice(cut).join(' ')}"`];
    }
    return undefined;
  }

  /** A value in flow style, possibly over several lines indented past `indent`. */
  private flowValue(v: Value, indent: number, multi: boolean): string {
    const a = this.alias(v);
    if (a) return a;
    if (!Array.isArray(v) && !isObject(v)) return this.scalar(v, true);
    const anchor = this.anchor(v);
    const inner = (x: Value): string => this.flowValue(x, indent + this.f.indent, false);
    const items = Array.isArray(v) ? v.map(inner) : this.mapEntries(v).map(([k, x]) => (k === '<<' ? `<<: ${x as string}` : `${this.key(k)}: ${inner(x)}`));
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    this.close(anchor);
    if (!multi || items.length === 0) return `${anchor}${open}${items.length ? ` ${items.join(', ')} ` : ''}${close}`;
    const pad = ' '.repeat(indent + this.f.indent);
    return `${anchor}${open}\n${items.map((x) => `${pad}${x}`).join(',\n')}${this.chance(0.3) ? ',' : ''}\n${' '.repeat(indent + 1)}${close}`;
  }

  /**
   * A mapping's entries to write: sometimes a merge key first (`<<: *x` or `<<: [*x, *y]`) standing for earlier
   * anchored mappings, then only the entries the merge does not already give.
   */
  private mapEntries(v: Record<string, unknown>): [string, unknown][] {
    const entries = Object.entries(v);
    if (!this.chance(this.f.merges) || this.anchored.length === 0) return entries;
    const sources = this.anchored.filter(
      (x) => !x.open && isObject(x.value) && Object.keys(x.value).length > 0 && Object.keys(x.value).every((k) => Object.hasOwn(v, k) && k !== '__proto__'),
    );
    if (sources.length === 0) return entries;
    const chosen = sources.length > 1 && this.chance(0.4) ? [this.pick(sources), this.pick(sources)] : [this.pick(sources)];
    const merged: Record<string, unknown> = {};
    for (const s of chosen) for (const [k, x] of Object.entries(s.value as Record<string, unknown>)) if (!(k in merged)) merged[k] = x;
    const rest = entries.filter(([k, x]) => !deepEqual(merged[k], x) || this.chance(0.2));
    const ref = chosen.length === 1 ? `*${chosen[0]!.name}` : `[${chosen.map((c) => `*${c.name}`).join(', ')}]`;
    const at = Math.floor(this.r() * (rest.length + 1));
    // Entries before the merge key win over it, entries after it override it: either way the value is the same.
    return [...rest.slice(0, at), ['<<', ref], ...rest.slice(at)];
  }

  /** `key:` and its value at `indent`, in block context. */
  private entry(k: string, v: Value, indent: number): void {
    const pad = ' '.repeat(indent);
    this.commentLines(indent);
    if (k === '<<') {
      this.lines.push(`${pad}<<: ${v as string}${this.comment()}`);
      return;
    }
    const head = `${pad}${this.key(k)}:`;
    const a = this.alias(v);
    if (a) {
      this.lines.push(`${head} ${a}${this.comment()}`);
      return;
    }
    if (typeof v === 'string') {
      const multi = this.multiLine(v, indent);
      if (multi) {
        const anchor = this.anchor(v);
        this.close(anchor);
        this.lines.push(`${head} ${anchor}${multi[0]}`, ...multi.slice(1));
        if (multi[0]!.startsWith('|+') || multi[0]!.startsWith('>+')) this.noBlank = true;
        return;
      }
    }
    if (!Array.isArray(v) && !isObject(v)) {
      const anchor = this.anchor(v);
      this.close(anchor);
      const text = this.scalar(v, false);
      if (this.chance(this.f.quotes / 4)) {
        // An explicit key: `? key` on one line, `: value` on the next.
        this.lines.push(`${pad}? ${this.key(k)}${this.comment()}`, `${pad}: ${anchor}${text}${this.comment()}`.trimEnd());
        return;
      }
      this.lines.push(text === '' && anchor === '' ? `${head}${this.comment()}` : `${head} ${anchor}${text}${this.comment()}`);
      return;
    }
    const empty = Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
    if (empty || this.chance(this.f.flow)) {
      this.lines.push(`${head} ${this.flowValue(v, indent, this.chance(0.3))}${this.comment()}`);
      return;
    }
    const anchor = this.anchor(v);
    this.lines.push(`${head}${anchor ? ` ${anchor.trim()}` : ''}${this.comment()}`);
    if (Array.isArray(v)) this.seq(v, this.f.indentless ? indent : indent + this.f.indent);
    else this.map(v, indent + this.f.indent);
    this.close(anchor);
  }

  private map(v: Record<string, unknown>, indent: number): void {
    for (const [k, x] of this.mapEntries(v)) this.entry(k, x, indent);
  }

  private seq(v: unknown[], indent: number): void {
    const pad = ' '.repeat(indent);
    for (const item of v) {
      this.commentLines(indent);
      const a = this.alias(item);
      if (a) {
        this.lines.push(`${pad}- ${a}${this.comment()}`);
        continue;
      }
      if (isObject(item) && Object.keys(item).length > 0 && !this.chance(this.f.flow)) {
        const anchor = this.anchor(item);
        const inner = indent + 2;
        if (anchor || this.chance(0.2)) {
          // The mapping starts on the line after the dash (an anchor there belongs to the mapping, not a key).
          this.lines.push(`${pad}-${anchor ? ` ${anchor.trim()}` : ''}${this.comment()}`);
          this.map(item, inner);
          this.close(anchor);
        } else {
          const start = this.lines.length;
          this.map(item, inner);
          // Compact form: the first entry on the dash's line.
          const first = this.lines.findIndex((l, i) => i >= start && !/^\s*(#|$)/.test(l));
          this.lines[first] = `${pad}- ${this.lines[first]!.slice(inner)}`;
        }
        continue;
      }
      if (Array.isArray(item) && item.length > 0 && !this.chance(this.f.flow)) {
        this.lines.push(`${pad}-${this.comment()}`);
        this.seq(item, indent + 2);
        continue;
      }
      this.lines.push(`${pad}- ${this.flowValue(item, indent, this.chance(0.2))}${this.comment()}`);
    }
  }

  document(doc: Record<string, unknown>): string {
    if (this.f.docStart) this.lines.push(this.pick(['---', '--- # the map']));
    for (const [k, v] of Object.entries(doc)) this.entry(k, v, 0);
    this.commentLines(0);
    if (this.f.docEnd) this.lines.push('...');
    let text = `${this.lines.join('\n')}\n`;
    if (this.f.crlf) text = text.replace(/\n/g, '\r\n');
    return this.f.bom ? `\ufeff${text}` : text;
  }
}

/** `doc` written as YAML in the given style; the same seed and flags give the same text. */
export function writeStyled(doc: Record<string, unknown>, flags: StyleFlags, seed: number): string {
  return new Writer(seed, flags).document(doc);
}

export const styledMapArb: fc.Arbitrary<StyledSample> = fc
  .tuple(validMapArb, flagsArb, fc.integer({ min: 0, max: 0x7fffffff }))
  .map(([sample, flags, seed]) => ({ sample, flags, seed, text: writeStyled(sample.doc, flags, seed) }));

// ---------------------------------------------------------------------------------------------------------------
// Broken maps in varied styles: schema and reference errors the fast reader must position exactly, and text damage
// it must decline (or read exactly as the exact reader does).

const slotsOf = (doc: unknown): { parent: Record<string, unknown> | unknown[]; key: string | number }[] => {
  const out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push({ parent: v, key: i });
        visit(x);
      });
    } else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        out.push({ parent: v, key: k });
        visit(x);
      }
    }
  };
  visit(doc);
  return out;
};

const docDamageArb = fc.tuple(
  fc.constantFrom('unknown key', 'wrong type', 'delete', 'dangling', 'duplicate id', 'self flow'),
  fc.nat(),
  fc.constantFrom<unknown>('encrpytion', 'nowhere', 7, true, null, [1], { x: 1 }, '', 'aes-512'),
);

function damage(doc: Record<string, unknown>, [kind, n, value]: [string, number, unknown]): void {
  const slots = slotsOf(doc);
  const slot = slots[n % Math.max(1, slots.length)];
  const maps = [doc, ...slots.map((s) => (s.parent as Record<string | number, unknown>)[s.key]).filter(isObject)];
  const nodes = ['vendors', 'services', 'stores', 'logs'].flatMap((s) => (isObject(doc[s]) ? Object.keys(doc[s] as object).map((id) => [s, id] as const) : []));
  switch (kind) {
    case 'unknown key':
      maps[n % maps.length]![typeof value === 'string' && value !== '' ? value : 'acess'] = 1;
      break;
    case 'wrong type':
      if (slot) (slot.parent as Record<string | number, unknown>)[slot.key] = value;
      break;
    case 'delete':
      if (slot && !Array.isArray(slot.parent)) delete slot.parent[slot.key as string];
      break;
    case 'dangling': {
      const flows = Array.isArray(doc.flows) ? (doc.flows as Record<string, unknown>[]) : [];
      const f = flows[n % Math.max(1, flows.length)];
      if (isObject(f)) f[n % 2 ? 'to' : 'from'] = 'nowhere-else';
      else if (nodes.length > 0) (doc[nodes[0]![0]] as Record<string, Record<string, unknown>>)[nodes[0]![1]]!.backup = 'nowhere-else';
      break;
    }
    case 'duplicate id': {
      const node = nodes[n % Math.max(1, nodes.length)];
      const other = ['vendors', 'services', 'stores', 'logs'].find((s) => s !== node?.[0]);
      if (node && other) doc[other] = { ...(isObject(doc[other]) ? doc[other] : {}), [node[1]]: {} };
      break;
    }
    case 'self flow': {
      const node = nodes[n % Math.max(1, nodes.length)];
      if (node) doc.flows = [...(Array.isArray(doc.flows) ? doc.flows : []), { from: node[1], to: node[1] }];
      break;
    }
  }
}

const TOKENS = [
  ':',
  ': ',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '- ',
  '-',
  '#',
  ' #',
  '&x ',
  '*x',
  '*x ',
  '<<: *x\n',
  '<<: ',
  '|',
  '|-',
  '>+',
  '? ',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '  ',
  ',',
  '!!str ',
  '!x ',
  '\t',
  '---\n',
  '--- ',
  '...\n',
  '%YAML 1.2\n',
  '@',
  '`',
  '\\',
  '\ufeff',
  '\u0085',
  '\u2028',
  '\u0000',
  '\u0007',
  'x: y',
  '~',
  'null',
  '0x',
  '.inf',
  '&',
  '*',
];

const textDamageArb = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...TOKENS)).map(([at, s]) => (t: string) => {
    const i = Math.floor(t.length * at);
    return t.slice(0, i) + s + t.slice(i);
  }),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 12 })).map(([at, len]) => (t: string) => {
    const i = Math.floor(t.length * at);
    return t.slice(0, i) + t.slice(i + len);
  }),
  fc.tuple(fc.nat(), fc.constantFrom('duplicate', 'indent', 'dedent', 'swap')).map(([n, how]) => (t: string) => {
    const lines = t.split('\n');
    const i = n % lines.length;
    if (how === 'duplicate') lines.splice(i, 0, lines[i]!);
    else if (how === 'indent') lines[i] = ` ${lines[i]}`;
    else if (how === 'dedent') lines[i] = lines[i]!.replace(/^ /, '');
    else if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
    return lines.join('\n');
  }),
);

export interface BrokenStyledSample {
  text: string;
  damage: string[];
}

/** A generated map with schema or reference damage, written in varied styles, sometimes with text damage too. */
export const brokenStyledArb: fc.Arbitrary<BrokenStyledSample> = fc
  .tuple(
    validMapArb,
    flagsArb,
    fc.integer({ min: 0, max: 0x7fffffff }),
    fc.array(docDamageArb, { maxLength: 2 }),
    fc.option(fc.array(textDamageArb, { minLength: 1, maxLength: 3 }), { freq: 3 }),
  )
  .map(([sample, flags, seed, docDamage, textDamage]) => {
    const doc = structuredClone(sample.doc);
    for (const d of docDamage) damage(doc, d);
    let text = writeStyled(doc, flags, seed);
    for (const t of textDamage ?? []) text = t(text);
    return { text, damage: [...docDamage.map((d) => d[0]), ...(textDamage ?? []).map(() => 'text')] };
  });
