/**
 * The YAML slips people make most, explained: what is wrong, where, and the line as it should be written.
 *
 * The yaml package reports where its grammar broke, in its own terms ("Implicit keys need to be on a single line"),
 * often a line early: a key indented under a value is read as more of that value, so the error lands on the line
 * above. Each explainer looks at the few lines around an error (never the whole file: a thousand errors in a 10 MB
 * file stay linear) and, when it recognises the slip, gives the position of the line to change and a message with
 * the corrected line. What it does not recognise keeps the parser's own words.
 */

export interface Hint {
  /** Character offset of what to change. */
  offset: number;
  message: string;
}

/** How far an explainer looks above or below an error's line. */
const WINDOW = 64;

/** A `key:` at the start of a line (after any `- ` list markers): the column of the key and its text. */
const KEY_LINE = /^( *)((?:- +)*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\]&*!|>%@`,-][^#:]*):(?:[ \t]+|$)/;

/** Keys are short: a line is matched on its first characters only, so a huge line costs no more than a short one. */
const KEY_SCAN = 4096;

interface KeyAt {
  /** 0-based column of the key. */
  column: number;
  key: string;
  /** 0-based column where the value starts (end of line when there is none). */
  valueColumn: number;
  /** The value's text on this line, comment and trailing blanks left out. */
  value: string;
}

function keyAt(line: string): KeyAt | undefined {
  const m = KEY_LINE.exec(line.length > KEY_SCAN ? line.slice(0, KEY_SCAN) : line);
  if (!m) return undefined;
  const column = m[1]!.length + m[2]!.length;
  const valueColumn = m[0].length;
  return { column, key: m[3]!.trimEnd(), valueColumn, value: valueText(line.slice(valueColumn)) };
}

/** A plain value's text: up to a comment (` #`) or the end of the line, blanks trimmed. */
function valueText(rest: string): string {
  const comment = rest.search(/(^|[ \t])#/);
  return (comment < 0 ? rest : rest.slice(0, comment)).trim();
}

/** Text as a quoted YAML scalar: double quotes unless it holds one and no single quote. */
export function quoteYaml(text: string): string {
  if (text.includes('"') && !text.includes("'") && !text.includes('\\')) return `'${text}'`;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const spaces = (n: number): string => ' '.repeat(n);

/** A line as a message quotes it, `like this`, cut short when long. */
function shown(line: string): string {
  const t = line.trimEnd();
  return `\`${t.length > 120 ? `${t.slice(0, 117)}...` : t}\``;
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

function isBlankOrComment(line: string): boolean {
  return /^\s*(#|$)/.test(line);
}

class Lines {
  private starts: number[] | undefined;

  constructor(readonly text: string) {}

  private table(): number[] {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    return this.starts;
  }

  get count(): number {
    return this.table().length;
  }

  /** 0-based index of the line holding `offset`. */
  indexOf(offset: number): number {
    const starts = this.table();
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid]! <= offset) low = mid + 1;
      else high = mid;
    }
    return Math.max(0, low - 1);
  }

  start(index: number): number {
    return this.table()[index]!;
  }

  line(index: number): string {
    const starts = this.table();
    const end = index + 1 < starts.length ? starts[index + 1]! - 1 : this.text.length;
    return this.text.slice(starts[index]!, end).replace(/\r$/, '');
  }

  /** The next line below `index` that holds something (not blank, not only a comment), within the window. */
  nextContent(index: number): number | undefined {
    for (let i = index + 1; i < Math.min(this.count, index + WINDOW); i++) if (!isBlankOrComment(this.line(i))) return i;
    return undefined;
  }

  /** The previous line above `index` that holds something, within the window. */
  previousContent(index: number): number | undefined {
    for (let i = index - 1; i >= Math.max(0, index - WINDOW); i--) if (!isBlankOrComment(this.line(i))) return i;
    return undefined;
  }
}

/** A key's name as a message shows it. */
const keyName = (key: string): string => `\`${key}:\``;

/**
 * A key indented further than the key on the line above, whose value is a scalar: YAML reads the deeper line as more
 * of that value, and reports the line above. Points at the deeper line.
 */
function keyUnderScalar(lines: Lines, index: number): Hint | undefined {
  const above = keyAt(lines.line(index));
  if (!above || above.value === '' || /^[|>]/.test(above.value)) return undefined;
  const next = lines.nextContent(index);
  if (next === undefined) return undefined;
  const line = lines.line(next);
  const deeper = keyAt(line);
  if (!deeper || indentOf(line) <= above.column) return undefined;
  const fixed = `${spaces(above.column)}${line.trimStart()}`;
  return {
    offset: lines.start(next) + indentOf(line),
    message: `${keyName(deeper.key)} is indented more than ${keyName(above.key)} on line ${index + 1}, so YAML reads it as more of that line's value (${above.value}): a key beside ${keyName(above.key)} starts in the same column (${above.column + 1}), as in ${shown(fixed)}`,
  };
}

interface Level {
  column: number;
  key: string;
  line: number;
}

/** The keys a line could belong beside: for each indentation above it, the nearest key there, deepest first. */
function levelsAbove(lines: Lines, index: number): Level[] {
  const levels: Level[] = [];
  let limit = Number.POSITIVE_INFINITY;
  for (let i = index - 1; i >= Math.max(0, index - WINDOW) && limit > 0; i--) {
    const text = lines.line(i);
    if (isBlankOrComment(text)) continue;
    const k = keyAt(text);
    if (!k) continue;
    if (k.column < limit) {
      levels.push({ column: k.column, key: k.key, line: i + 1 });
      limit = k.column;
    }
  }
  return levels;
}

/** A key at an indentation no key above it has (less than its siblings, more than its parent's). */
function misalignedKey(lines: Lines, index: number): Hint | undefined {
  const line = lines.line(index);
  const k = keyAt(line);
  if (!k || line.trimStart().startsWith('-')) return undefined;
  // The first key under `parent:` may be indented by any amount.
  const previous = lines.previousContent(index);
  const parent = previous === undefined ? undefined : keyAt(lines.line(previous));
  if (parent && parent.value === '' && parent.column < k.column) return undefined;
  const levels = levelsAbove(lines, index);
  if (levels.some((l) => l.column === k.column)) return undefined;
  const deeper = [...levels].reverse().find((l) => l.column > k.column);
  const shallower = levels.find((l) => l.column < k.column);
  const options = [deeper, shallower]
    .filter((l): l is Level => l !== undefined)
    .map((l) => `${l.column} spaces to put it beside ${keyName(l.key)} (line ${l.line}): ${shown(spaces(l.column) + line.trimStart())}`);
  if (options.length === 0) return undefined;
  return {
    offset: lines.start(index) + k.column,
    message: `${keyName(k.key)} is indented ${k.column} space${k.column === 1 ? '' : 's'}, which lines it up with no key above it: indent it ${options.join(', or ')}`,
  };
}

/** A list item (`- `) whose dash is not in the column of the list's other items. */
function misplacedItem(lines: Lines, index: number): Hint | undefined {
  const line = lines.line(index);
  if (!/^ *- /.test(line) && !/^ *-$/.test(line)) return undefined;
  const column = indentOf(line);
  for (let i = index - 1; i >= Math.max(0, index - WINDOW); i--) {
    const text = lines.line(i);
    if (isBlankOrComment(text)) continue;
    if (/^ *-( |$)/.test(text)) {
      const other = indentOf(text);
      if (other === column) return undefined;
      return {
        offset: lines.start(index) + column,
        message: `this list item's dash is in column ${column + 1}, but the item on line ${i + 1} has its dash in column ${other + 1}: items of one list line up, as in ${shown(spaces(other) + line.trimStart())}`,
      };
    }
    const k = keyAt(text);
    if (k && k.value === '') {
      return {
        offset: lines.start(index) + column,
        message: `this list item is not under ${keyName(k.key)} (line ${i + 1}): indent the items of a list under its key, as in ${shown(spaces(k.column + 2) + line.trimStart())}`,
      };
    }
    if (k) break;
  }
  return undefined;
}

/** `-phi` where `- phi` was meant. */
function dashWithoutSpace(lines: Lines, index: number): Hint | undefined {
  const line = lines.line(index);
  const m = /^( *)-([^\s-].*)$/.exec(line);
  if (!m || m[2]!.includes(': ')) return undefined;
  return {
    offset: lines.start(index) + m[1]!.length,
    message: `a list item needs a space after its dash: write ${shown(`${m[1]}- ${m[2]}`)}`,
  };
}

/** `data: - phi`: a block list cannot start on its key's line. */
function listOnKeyLine(lines: Lines, index: number): Hint | undefined {
  const line = lines.line(index);
  const k = keyAt(line);
  if (!k || !/^- /.test(k.value)) return undefined;
  const items = k.value
    .split(/\s+-\s+/)
    .map((s) => s.replace(/^-\s*/, '').trim())
    .filter((s) => s !== '');
  return {
    offset: lines.start(index) + k.valueColumn,
    message: `a list cannot start on the same line as its key: write ${shown(`${spaces(k.column)}${k.key}: [${items.join(', ')}]`)}, or put each \`- item\` on a line of its own below ${keyName(k.key)}, indented`,
  };
}

const STARTS: Record<string, string> = {
  '@': 'a value cannot start with @ (reserved in YAML)',
  '`': 'a value cannot start with ` (reserved in YAML)',
  '%': 'a value cannot start with % (it marks a YAML directive)',
  '*': 'a value starting with * is a YAML alias (a reference to an anchor written &name)',
  '&': 'a value starting with & is a YAML anchor (a name for the value after it)',
  '!': 'a value starting with ! is a YAML tag (a type such as !!str)',
  '|': 'a value starting with | is a block of text written on the lines below, indented',
  '>': 'a value starting with > is a block of text written on the lines below, indented',
  '[': 'a value starting with [ is a list, which ends at its ]',
  '{': 'a value starting with { is a mapping, which ends at its }',
  '"': 'a value starting with " is quoted text, which ends at the next "',
  "'": "a value starting with ' is quoted text, which ends at the next '",
};

/** The value on the error's line (after `key: ` or `- `), when it starts with a character YAML gives a meaning to. */
function specialStart(lines: Lines, index: number, offset: number): Hint | undefined {
  const line = lines.line(index);
  const k = keyAt(line);
  const item = /^( *- +)(.*)$/.exec(line);
  const valueColumn = k ? k.valueColumn : item ? item[1]!.length : undefined;
  if (valueColumn === undefined) return undefined;
  const value = line.slice(valueColumn).trim();
  const first = value[0];
  if (first === undefined || !Object.hasOwn(STARTS, first)) return undefined;
  // A flow collection or quoted text that is whole is the author's intent: the slip is elsewhere.
  if ((first === '[' || first === '{') && !/^[[{][^\]}]*[\]}]\s*\S/.test(value)) return undefined;
  if ((first === '"' || first === "'") && !/^(["']).*?\1\s*[^\s#]/.test(value)) return undefined;
  if (offset < lines.start(index) + valueColumn - 1 && first !== '|' && first !== '>') return undefined;
  const prefix = line.slice(0, valueColumn);
  const text = valueText(value) || value;
  const quoted = shown(`${prefix.trimEnd()} ${quoteYaml(text)}`);
  const alias = first === '*' ? /^\*([^\s,[\]{}]+)$/.exec(text) : null;
  return {
    offset: lines.start(index) + valueColumn,
    message: alias
      ? `${STARTS[first]}, and no anchor &${alias[1]} is written before it: define the anchor above (\`name: &${alias[1]} ...\`), or, to keep the text, put it in quotes: ${quoted}`
      : `${STARTS[first]}: to keep it as text, put the whole value in quotes: ${quoted}`,
  };
}

/** `description: note: the api`: a `: ` inside a plain value reads as a second key. */
function colonInValue(lines: Lines, index: number): Hint | undefined {
  const line = lines.line(index);
  const k = keyAt(line);
  if (!k || k.value === '' || /^[[{"'|>]/.test(k.value) || !/:(\s|$)/.test(k.value)) return undefined;
  return {
    offset: lines.start(index) + k.valueColumn,
    message: `the value of ${keyName(k.key)} holds ": ", which YAML reads as the start of another key: quote the value, as in ${shown(`${spaces(k.column)}${k.key}: ${quoteYaml(k.value)}`)}`,
  };
}

/**
 * Inside `{ }` on one line: `: ` separates a key from its value and `,` separates entries, so a value holding either
 * must be quoted. Handles the entry the error falls in.
 */
function inFlowMapping(lines: Lines, index: number, offset: number): Hint | undefined {
  const line = lines.line(index);
  const at = offset - lines.start(index);
  const open = line.lastIndexOf('{', Math.max(0, at));
  if (open < 0) return undefined;
  const close = line.indexOf('}', open);
  const inside = line.slice(open + 1, close < 0 ? undefined : close);
  const entries = inside.split(',');
  const bad = entries.find((e) => /^\s*[^\s:"'][^:"']*:\s+[^\s"'].*:(\s|$)/.test(e));
  if (!bad) return undefined;
  const colon = bad.indexOf(':');
  const value = bad.slice(colon + 1).trim();
  const trailing = bad.slice(bad.trimEnd().length);
  const fixed = inside.replace(bad, `${bad.slice(0, colon)}: ${quoteYaml(value)}${trailing}`);
  return {
    offset: lines.start(index) + open + 1 + inside.indexOf(bad) + (bad.length - bad.trimStart().length),
    message: `inside { }, ": " separates a key from its value and "," separates entries, so a value holding either must be quoted: write ${shown(`{${fixed}${close < 0 ? ' ' : ''}}`)}`,
  };
}

/** A `{` or `[` left open on its line: point at it, not where the parser gave up. */
function unclosed(lines: Lines, offset: number, bracket: '[' | '{'): Hint | undefined {
  const closer = bracket === '[' ? ']' : '}';
  const limit = Math.min(offset, lines.text.length - 1);
  // Within the window above the error only: a search back through the whole file for each of many errors is quadratic.
  const from = lines.start(Math.max(0, lines.indexOf(limit) - WINDOW));
  const found = lines.text.slice(from, limit + 1).lastIndexOf(bracket);
  if (found < 0) return undefined;
  const opener = from + found;
  const index = lines.indexOf(opener);
  const line = lines.line(index);
  const rest = line.slice(opener - lines.start(index));
  let depth = 0;
  for (const c of valueText(rest)) {
    if (c === bracket) depth++;
    else if (c === closer) depth--;
  }
  if (depth <= 0) return undefined;
  const what = bracket === '[' ? 'list' : 'mapping';
  return {
    offset: opener,
    message: `this ${bracket} is not closed on its line: end the ${what} with ${closer}, as in ${shown(`${line.trimEnd()}${line.includes(`${bracket} `) ? ' ' : ''}${closer.repeat(depth)}`)}, or write it as indented lines`,
  };
}

/** A tab in a line's indentation. */
function tabIndent(lines: Lines, offset: number): Hint | undefined {
  const index = lines.indexOf(offset);
  const line = lines.line(index);
  const lead = /^[ \t]*/.exec(line)![0];
  const tab = lead.indexOf('\t');
  if (tab < 0) return undefined;
  const previous = lines.previousContent(index);
  let width = 2;
  if (previous !== undefined) {
    const above = lines.line(previous);
    const k = keyAt(above);
    width = k && k.value === '' ? k.column + 2 : /^[ \t]*/.exec(above)![0].includes('\t') ? 2 : indentOf(above);
  }
  return {
    offset: lines.start(index) + tab,
    message: `line ${index + 1} is indented with a tab: YAML indents with spaces only. Use spaces, lined up with the keys it belongs beside, e.g. ${shown(spaces(width) + line.trimStart())}`,
  };
}

/** The explainers, given an error of the yaml package: the first that recognises the slip answers. */
export function yamlHints(text: string): (code: string, message: string, offset: number) => Hint | undefined {
  const lines = new Lines(text);
  return (code, message, offset) => {
    if (code === 'TAB_AS_INDENT') return tabIndent(lines, offset);
    if (code === 'MULTIPLE_DOCS' || code === 'DUPLICATE_KEY') return undefined;
    if (/end with a [\]}]|closing [\]}]/.test(message)) return unclosed(lines, offset, message.includes(']') ? '[' : '{');
    const index = lines.indexOf(offset);
    if (code === 'BLOCK_AS_IMPLICIT_KEY' || /sequence item without/i.test(message)) {
      const h = misplacedItem(lines, index) ?? misalignedKey(lines, index);
      if (h) return h;
    }
    if (code === 'BAD_INDENT' && /same column/.test(message)) {
      const h = misalignedKey(lines, index);
      if (h) return h;
    }
    const line = lines.line(index);
    const flow = line.lastIndexOf('{', offset - lines.start(index)) >= 0 ? inFlowMapping(lines, index, offset) : undefined;
    return (
      flow ??
      listOnKeyLine(lines, index) ??
      specialStart(lines, index, offset) ??
      keyUnderScalar(lines, index) ??
      colonInValue(lines, index) ??
      dashWithoutSpace(lines, index) ??
      misplacedItem(lines, index)
    );
  };
}

/** A value that starts with a character YAML gives a meaning to (an alias `*name` with no anchor), explained. */
export function valueStartHint(text: string, offset: number): Hint | undefined {
  const lines = new Lines(text);
  return specialStart(lines, lines.indexOf(offset), offset);
}

/** The duplicate-key message's advice. */
export function duplicateKeyAdvice(key: string): string {
  return `keep one \`${key}:\`, or if these are two entries, give one another name`;
}

/**
 * Slips that are valid YAML but not what was meant, seen in the schema's complaint about the value they produced:
 * `{ note: a, b }` (b becomes a key), `{ at_rest:aes-256 }` and `mfa:true` (no space after the colon), `key: #1`
 * (a comment, so no value), and `api:` with its fields not indented under it. Adds the advice to the message.
 */
export function explainSchemaDiagnostics<D extends { line: number; column: number; message: string }>(text: string, list: readonly D[]): D[] {
  if (list.length === 0) return [...list];
  const lines = new Lines(text);
  return list.map((d) => {
    if (d.line < 1 || d.line > lines.count) return d;
    const advice = schemaAdvice(lines, d.line - 1, d.column - 1, d.message);
    return advice ? { ...d, message: `${d.message}: ${advice}` } : d;
  });
}

function schemaAdvice(lines: Lines, index: number, column: number, message: string): string | undefined {
  const line = lines.line(index);
  const unknown = /^unknown key "((?:[^"\\]|\\.)*)"/.exec(message);
  if (unknown) {
    const key = JSON.parse(`"${unknown[1]}"`) as string;
    if (line.slice(column, column + key.length) !== key) return undefined;
    const glued = /^([^:\s]+):(\S.*)$/.exec(key);
    if (glued)
      return `a key needs a space after its colon: write ${shown(`${line.slice(0, column)}${glued[1]}: ${glued[2]}${line.slice(column + key.length)}`)}`;
    // `{ note: a, b }`: the text after the comma became a key with no value.
    const before = line.slice(0, column).trimEnd();
    const after = line.slice(column + key.length).trimStart();
    if (!before.endsWith(',') || !/^[,}]/.test(after)) return undefined;
    const colon = before.lastIndexOf(': ');
    const open = before.lastIndexOf('{');
    if (colon < 0 || colon < open) return undefined;
    const merged = line.slice(colon + 2, column + key.length).trim();
    const fixed = `${line.slice(0, colon + 2)}${quoteYaml(merged)}${line.slice(column + key.length)}`;
    return `inside { }, "," separates entries, so ${JSON.stringify(key)} became a key of its own; to keep "${merged}" as one value, quote it: ${shown(fixed.trimStart())}`;
  }
  const text = /must be .*, not the text "(.*)"$/.exec(message);
  if (text) {
    const k = keyAt(line);
    const value = k ? k.value : line.trim();
    const glued = /^([A-Za-z_][\w.-]*):(\S.*)$/.exec(value);
    if (glued) {
      const fixed = k ? `${spaces(k.column)}${k.key}: { ${glued[1]}: ${glued[2]} }` : `${spaces(indentOf(line))}${glued[1]}: ${glued[2]}`;
      return `a key needs a space after its colon: write ${shown(fixed)}`;
    }
    return undefined;
  }
  if (/not nothing \(an empty value\)$/.test(message)) {
    const k = keyAt(line);
    if (!k) return undefined;
    const rest = line.slice(k.valueColumn);
    if (/^#/.test(rest))
      return `a # after a space starts a comment, so the value is empty; to write text starting with #, quote it: ${shown(`${spaces(k.column)}${k.key}: ${quoteYaml(rest.trim())}`)}`;
    const next = lines.nextContent(index);
    if (next === undefined || rest.trim() !== '') return undefined;
    const below = lines.line(next);
    const child = keyAt(below);
    if (child && child.column === k.column && !below.trimStart().startsWith('-')) {
      return `the line below it is not indented under ${keyName(k.key)}: indent the entries of ${keyName(k.key)} further than it, as in ${shown(spaces(k.column + 2) + below.trimStart())}`;
    }
  }
  return undefined;
}
