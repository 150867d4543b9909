/**
 * The safeguard matrix: one row per provision the rules cite (each Security Rule standard and implementation
 * specification, then the Breach Notification, Privacy and general provisions), with what this run found there. The
 * gap report, the CSV export and anything else that tabulates safeguards read the same rows (`Report.matrix`).
 *
 * A row's status, from the findings of the rules that cite it and those rules' outcomes:
 * - `fail`: a finding the map or account shows failing, not accepted;
 * - `unknown`: no such failure, and a finding whose fact could not be established, not accepted;
 * - `accepted`: every finding there is under an active acceptance (PHI-MAP 1.1 section 4);
 * - `pass`: no finding, and the rules judged at least one target;
 * - `not-applicable`: no rule citing it applied to anything in this map (nothing was judged: never a pass).
 * A finding folded under a root cause still marks the safeguard missing at its target (it is not counted among the
 * findings, but it keeps the row from passing); it is accepted when its root cause is.
 *
 * Pure, and free of imports so that the report model can re-export its types without a cycle: it reads the report
 * through the small structural view below.
 */

export type SafeguardStatus = 'fail' | 'unknown' | 'accepted' | 'pass' | 'not-applicable';

/** Which rule a provision belongs to: the Security Rule (164.302-164.318), Breach Notification (164.400-164.414), Privacy (164.500-164.534), or a general provision or definition (part 160, 164.1xx). */
export type RulePart = 'security' | 'breach' | 'privacy' | 'general';

/** The Security Rule's safeguard families, by section. */
export type SafeguardFamily = 'administrative' | 'physical' | 'technical' | 'organizational' | 'documentation';

export interface SafeguardRow {
  /** `45 CFR 164.312(a)(2)(iv)` */
  readonly citation: string;
  readonly section: string;
  /** The standard's or specification's name, as the rule pack cites it. */
  readonly standard: string;
  /** standard | required | addressable | implementation-specification | definition | provision */
  readonly implementation: string;
  readonly part: RulePart;
  /** Security Rule rows only. */
  readonly family?: SafeguardFamily | undefined;
  readonly status: SafeguardStatus;
  /** Rule ids that cite this provision, in the pack's order. */
  readonly rules: readonly string[];
  /** Rule × target judgements made by those rules (pass, fail or unknown). */
  readonly checked: number;
  /** Of those, passes. */
  readonly passed: number;
  /** Findings that fail, not accepted, not folded. */
  readonly failed: number;
  /** Findings whose fact could not be established, not accepted, not folded. */
  readonly unknown: number;
  /** Findings under an active acceptance (not folded). */
  readonly accepted: number;
  /** Findings folded under a root cause (not counted above). */
  readonly folded: number;
  /** Ids of the open findings (failed and unknown), in report order. */
  readonly findings: readonly string[];
  /** Ids of the accepted findings, in report order. */
  readonly acceptedFindings: readonly string[];
  /** Documented alternative measures (acceptances with `alternative:`), for an addressable specification. */
  readonly alternatives: readonly { readonly finding: string; readonly alternative: string }[];
}

/** The parts of a report the matrix reads (the Report satisfies it). */
export interface MatrixInput {
  readonly rules: readonly {
    readonly id: string;
    readonly cite: readonly { readonly text: string; readonly section: string; readonly standard: string; readonly implementation: string }[];
  }[];
  readonly findings: readonly {
    readonly id: string;
    readonly rule: string;
    readonly status: 'fail' | 'unknown';
    readonly folded_under?: string | undefined;
    readonly accepted?: { readonly alternative?: string | undefined } | undefined;
  }[];
  readonly outcomes: Readonly<Record<string, { readonly pass: number; readonly fail: number; readonly unknown: number }>>;
}

export function rulePart(section: string): RulePart {
  const m = /^164\.(\d+)/.exec(section);
  if (!m) return 'general';
  const n = Number(m[1]);
  if (n >= 302 && n <= 318) return 'security';
  if (n >= 400 && n <= 414) return 'breach';
  if (n >= 500 && n <= 534) return 'privacy';
  return 'general';
}

const FAMILY: ReadonlyMap<string, SafeguardFamily> = new Map([
  ['308', 'administrative'],
  ['310', 'physical'],
  ['312', 'technical'],
  ['314', 'organizational'],
  ['316', 'documentation'],
]);

function familyOf(section: string): SafeguardFamily | undefined {
  const m = /^164\.(\d+)/.exec(section);
  return m ? FAMILY.get(m[1]!) : undefined;
}

const ROMAN: Readonly<Record<string, number>> = { i: 1, v: 5, x: 10, l: 50 };

function romanValue(s: string): number {
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN[s[i]!] ?? 0;
    const next = ROMAN[s[i + 1] ?? ''] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

/**
 * Sort key parts of a CFR section: `164.312(a)(2)(iv)` → 164, 312, a, 2, iv. Paragraph levels go letter, number,
 * roman numeral, capital letter; the roman level is compared by value (ix after viii).
 */
function sectionKey(section: string): (number | string)[] {
  const m = /^(\d+)\.(\d+)(.*)$/.exec(section);
  if (!m) return [Number.POSITIVE_INFINITY, section];
  const key: (number | string)[] = [Number(m[1]), Number(m[2])];
  const levels = [...m[3]!.matchAll(/\(([^)]*)\)/g)].map((x) => x[1]!);
  levels.forEach((level, i) => {
    if (/^\d+$/.test(level)) key.push(Number(level));
    else if (i % 4 === 2 && /^[ivxl]+$/.test(level)) key.push(romanValue(level));
    else key.push(level);
  });
  return key;
}

export function compareSections(a: string, b: string): number {
  const ka = sectionKey(a);
  const kb = sectionKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const x = ka[i];
    const y = kb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    const sx = String(x);
    const sy = String(y);
    return sx < sy ? -1 : sx > sy ? 1 : 0;
  }
  return 0;
}

const PART_ORDER: Readonly<Record<RulePart, number>> = { security: 0, breach: 1, privacy: 2, general: 3 };

interface Building {
  citation: string;
  section: string;
  standard: string;
  implementation: string;
  rules: string[];
  checked: number;
  passed: number;
  failed: number;
  unknown: number;
  accepted: number;
  folded: number;
  anyFail: boolean;
  anyUnknown: boolean;
  anyAccepted: boolean;
  findings: string[];
  acceptedFindings: string[];
  alternatives: { finding: string; alternative: string }[];
}

/** The matrix: Security Rule rows first (by section), then Breach Notification, Privacy and general provisions. */
export function safeguardMatrix(report: MatrixInput): SafeguardRow[] {
  const rows = new Map<string, Building>();
  const byRule = new Map<string, Building[]>();
  for (const rule of report.rules) {
    const outcome = Object.hasOwn(report.outcomes, rule.id) ? report.outcomes[rule.id] : undefined;
    const list: Building[] = [];
    for (const c of rule.cite) {
      let row = rows.get(c.text);
      if (!row) {
        row = {
          citation: c.text,
          section: c.section,
          standard: c.standard,
          implementation: c.implementation,
          rules: [],
          checked: 0,
          passed: 0,
          failed: 0,
          unknown: 0,
          accepted: 0,
          folded: 0,
          anyFail: false,
          anyUnknown: false,
          anyAccepted: false,
          findings: [],
          acceptedFindings: [],
          alternatives: [],
        };
        rows.set(c.text, row);
      }
      if (row.rules.includes(rule.id)) continue;
      row.rules.push(rule.id);
      if (outcome) {
        row.checked += outcome.pass + outcome.fail + outcome.unknown;
        row.passed += outcome.pass;
      }
      list.push(row);
    }
    byRule.set(rule.id, list);
  }
  const acceptedIds = new Set(report.findings.filter((f) => f.accepted !== undefined).map((f) => f.id));
  for (const f of report.findings) {
    const folded = f.folded_under !== undefined;
    const accepted = f.accepted !== undefined || (folded && acceptedIds.has(f.folded_under!));
    for (const row of byRule.get(f.rule) ?? []) {
      if (accepted) row.anyAccepted = true;
      else if (f.status === 'fail') row.anyFail = true;
      else row.anyUnknown = true;
      if (folded) {
        if (!accepted) row.folded++;
        continue;
      }
      if (accepted) {
        row.accepted++;
        row.acceptedFindings.push(f.id);
        const alternative = f.accepted?.alternative;
        if (alternative !== undefined) row.alternatives.push({ finding: f.id, alternative });
      } else {
        if (f.status === 'fail') row.failed++;
        else row.unknown++;
        row.findings.push(f.id);
      }
    }
  }
  const out: SafeguardRow[] = [];
  for (const r of rows.values()) {
    const status: SafeguardStatus = r.anyFail ? 'fail' : r.anyUnknown ? 'unknown' : r.anyAccepted ? 'accepted' : r.checked > 0 ? 'pass' : 'not-applicable';
    const part = rulePart(r.section);
    out.push({
      citation: r.citation,
      section: r.section,
      standard: r.standard,
      implementation: r.implementation,
      part,
      ...(part === 'security' ? { family: familyOf(r.section) } : {}),
      status,
      rules: r.rules,
      checked: r.checked,
      passed: r.passed,
      failed: r.failed,
      unknown: r.unknown,
      accepted: r.accepted,
      folded: r.folded,
      findings: r.findings,
      acceptedFindings: r.acceptedFindings,
      alternatives: r.alternatives,
    });
  }
  return out.sort((a, b) => PART_ORDER[a.part] - PART_ORDER[b.part] || compareSections(a.section, b.section) || (a.citation < b.citation ? -1 : 1));
}
