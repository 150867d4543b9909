/**
 * The HTML report's style sheet, inlined in the file (no network request: system fonts only, no images but the
 * inline SVG). Screen: a readable column with a contents bar. Print (A4 or Letter, whichever the printer uses): the
 * page's own size with 14 mm margins, table headers repeated on every page, rows and figures never split, long ids
 * and hashes wrapped instead of clipped, colours kept for status badges.
 */
export const HTML_STYLE = `
:root { --ink: #101828; --muted: #475467; --line: #d0d5dd; --soft: #f2f4f7; --fail: #b42318; --fail-bg: #fdecea;
  --unknown: #6941c6; --unknown-bg: #f4f0ff; --accepted: #175cd3; --accepted-bg: #eff8ff; --pass: #067647; --pass-bg: #ecfdf3;
  --na: #475467; --na-bg: #f2f4f7; --warn: #b54708; --warn-bg: #fff4e5; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; line-height: 1.2; }
h2 { font-size: 19px; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); break-after: avoid; page-break-after: avoid; }
h3 { font-size: 15px; margin: 20px 0 6px; break-after: avoid; page-break-after: avoid; }
p { margin: 6px 0; }
code, .id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.92em; }
.muted { color: var(--muted); }
@media screen { .word { overflow-wrap: normal; } }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0 0; font-size: 13px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
nav.toc { margin: 16px 0 0; padding: 8px 10px; background: var(--soft); border-radius: 6px; font-size: 13px; }
nav.toc a { color: var(--ink); margin-right: 14px; white-space: nowrap; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 10px; margin: 10px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; break-inside: avoid; page-break-inside: avoid; }
.card .n { font-size: 26px; font-weight: 700; line-height: 1.1; }
.card .label { font-weight: 600; }
.card p { font-size: 12.5px; color: var(--muted); margin: 4px 0 0; }
.card.bad { border-color: var(--fail); background: var(--fail-bg); }
.card.warn { border-color: var(--warn); background: var(--warn-bg); }
.card.good { border-color: var(--pass); background: var(--pass-bg); }
table { width: 100%; border-collapse: collapse; margin: 8px 0 14px; font-size: 12.5px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.family td { background: #fcfcfd; font-weight: 600; }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 11.5px; font-weight: 600; white-space: nowrap; border: 1px solid currentColor; }
.s-fail, .sev-critical, .sev-high { color: var(--fail); background: var(--fail-bg); }
.s-unknown { color: var(--unknown); background: var(--unknown-bg); }
.s-accepted { color: var(--accepted); background: var(--accepted-bg); }
.s-pass { color: var(--pass); background: var(--pass-bg); }
.s-not-applicable, .sev-low, .sev-info { color: var(--na); background: var(--na-bg); }
.sev-medium, .s-warn { color: var(--warn); background: var(--warn-bg); }
.undeclared { color: var(--unknown); font-style: italic; }
.flag { color: var(--fail); font-weight: 600; }
figure.diagram { margin: 8px 0 14px; border: 1px solid var(--line); border-radius: 8px; padding: 8px; break-inside: avoid; page-break-inside: avoid; overflow-x: auto; }
figure.diagram svg { display: block; max-width: none; height: auto; margin: 0 auto; }
figure.diagram figcaption { font-size: 12px; color: var(--muted); margin-top: 6px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; margin: 4px 0 0; padding: 0; list-style: none; }
.legend li::before { content: ""; display: inline-block; width: 18px; height: 0; vertical-align: middle; margin-right: 5px; border-top: 2px solid var(--na); }
.legend li.l-phi::before { border-top: 2.5px solid var(--fail); }
.legend li.l-failure::before { border-top: 2px dashed var(--fail); }
.legend li.l-sub::before { border-top: 2px dotted var(--na); }
.legend li.l-holder::before { height: 10px; border: 1.5px solid var(--fail); background: var(--fail-bg); }
.legend li.l-baa::before { height: 10px; border: 3px double var(--warn); background: var(--warn-bg); }
.legend li.l-blocking::before { height: 10px; border: 3px solid var(--fail); background: #fff; }
ul.tight { margin: 4px 0; padding-left: 20px; }
footer { margin-top: 36px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 8px; }
@page { margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { margin-top: 18pt; }
  table { font-size: 8.5pt; }
  th, td { padding: 2pt 4pt; }
  section.page { break-before: page; page-break-before: always; }
  figure.diagram { overflow: visible; }
  figure.diagram svg { width: 100%; max-height: 235mm; }
  a { color: inherit; text-decoration: none; }
}
`;
