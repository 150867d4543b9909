/**
 * User text, escaped for the medium it is shown in: a terminal, a diagnostic, a Markdown report. Every id, file name,
 * value and message a map or rule file supplies goes through here before it is printed, so no input can move the
 * cursor, rewrite a line, hide a link, reorder text (bidi overrides), start a new line that looks like phi-audit's
 * own, or turn into Markdown or HTML.
 *
 * How a character is shown: control and invisible formatting characters become JavaScript-style escapes, as the JSON
 * report writes them: `\n`, `\r` and `\t` for those three; `\xNN` for the other C0 controls (U+0000 to U+001F), DEL
 * and the C1 controls (U+0080 to U+009F, ESC and CSI among them); `\uNNNN` for the bidi controls (U+061C, U+200E,
 * U+200F, U+202A to U+202E, U+2066 to U+2069) and the line and paragraph separators (U+2028, U+2029). A backslash
 * the user wrote is left as it is: an escape in the output either stands for such a character or was typed.
 */

/** Characters shown as escapes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this module is for.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'g');
const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const short = SHORT[c];
  if (short !== undefined) return short;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** For a terminal and for diagnostics: control and bidi characters shown as escapes; nothing else changes. */
export function escapeTerminal(s: string): string {
  // Nearly every string is clean: one test, and no copy.
  return HIDDEN.test(s) ? s.replace(HIDDEN_ALL, escapeOne) : s;
}

// Markdown: characters that could start emphasis, a link, code, math, strikethrough, raw HTML, an entity (`&#x202E;`
// is a bidi override) or a table cell, or end a heading. `_` inside a word (`audit_log`) starts nothing, so it is
// left alone; `>` starts nothing except at the start of a line, where user text never is.
const MARKDOWN_SPECIAL = /[\\`*[\]<&|#~$]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/u;
const MARKDOWN_SPECIAL_ALL = new RegExp(MARKDOWN_SPECIAL.source, 'gu');
/** Line breaks and tabs in prose a rule author wrapped: spaces, as the text report re-flows it. */
const BREAKS = /[\t\n\r]+/g;

/**
 * For text in Markdown (a heading, a table cell, a list item): Markdown and HTML metacharacters are backslash-escaped,
 * control and bidi characters (line breaks too, which would end a table row or a heading) are shown as escapes.
 */
export function escapeMarkdown(s: string): string {
  return escapeTerminal(MARKDOWN_SPECIAL.test(s) ? s.replace(MARKDOWN_SPECIAL_ALL, (c) => `\\${c}`) : s);
}

/** The longest run of backticks in s. */
function longestBacktickRun(s: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 0x60) longest = Math.max(longest, ++run);
    else run = 0;
  }
  return longest;
}

/**
 * Text as a Markdown code span (`` `name` ``): nothing inside is Markdown or HTML, so only control and bidi characters
 * change (shown as escapes); the fence is longer than any run of backticks in the text. In a table cell, `|` must
 * still be escaped as `\|` (GitHub's tables split rows before reading code spans).
 */
export function markdownCode(s: string, options: { inTable?: boolean } = {}): string {
  let body = escapeTerminal(s);
  if (options.inTable) body = body.replace(/\|/g, '\\|');
  const fence = '`'.repeat(longestBacktickRun(body) + 1);
  // A span that starts or ends with a backtick, or with spaces at both ends, keeps one space of padding each side.
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * For prose a rule author wrote in Markdown (a remediation): line breaks and tabs become spaces (the author wrapped
 * the text), the author's code spans (`` `audit_log: LOG-ID` ``) stay code spans, and everything else is escaped as
 * text, so emphasis, links and HTML never render.
 */
export function escapeMarkdownProse(s: string, options: { inTable?: boolean } = {}): string {
  let out = '';
  let text = 0;
  let i = 0;
  while (i < s.length) {
    if (s.charCodeAt(i) !== 0x60) {
      i++;
      continue;
    }
    let n = 0;
    while (s.charCodeAt(i + n) === 0x60) n++;
    // The closing run: the next run of exactly n backticks.
    let close = -1;
    for (let j = i + n; j < s.length; ) {
      if (s.charCodeAt(j) !== 0x60) {
        j++;
        continue;
      }
      let m = 0;
      while (s.charCodeAt(j + m) === 0x60) m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      // An unmatched run is plain text; escapeMarkdown escapes it.
      i += n;
      continue;
    }
    const inner = s.slice(i + n, close);
    out += escapeMarkdown(s.slice(text, i).replace(BREAKS, ' '));
    let code = escapeTerminal(inner.replace(BREAKS, ' '));
    if (options.inTable) code = code.replace(/\|/g, '\\|');
    out += `${s.slice(i, i + n)}${code}${s.slice(close, close + n)}`;
    i = close + n;
    text = i;
  }
  return out + escapeMarkdown(s.slice(text).replace(BREAKS, ' '));
}

const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIAL_ALL = /[&<>"']/g;
const HTML_ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * For text in HTML or XML, as element content or a quoted attribute value: control and bidi characters are shown as
 * escapes (as in a terminal), then `& < > " '` become entities, so no input can open a tag, end an attribute, write
 * an entity (`&#x202E;`) or reorder the text around it.
 */
export function escapeHtml(s: string): string {
  const shown = escapeTerminal(s);
  return HTML_SPECIAL.test(shown) ? shown.replace(HTML_SPECIAL_ALL, (c) => HTML_ENTITY[c]!) : shown;
}
