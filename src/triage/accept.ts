/**
 * Accepted risks (PHI-MAP 1.1 section 4): the map's `accepted:` entries, checked against the rules, then matched to
 * the findings of the run.
 *
 * An entry names a finding as RULE@TARGET; TARGET may be a glob (`*` any run of characters, `?` one character, no
 * other syntax). An entry whose `expires` day is before `as_of` has expired: it accepts nothing, and the findings it
 * names count again. An entry that matches no finding of the run is stale. Otherwise it is active, and every finding
 * it matches is marked accepted (the first active entry in map order wins): still in every report, never blocking.
 *
 * Input errors, each at the entry's position: a rule that does not exist, a rule marked `acceptable: false` (the fix
 * is to stop the exposure, not to document it), an `alternative:` on a rule that cites no addressable
 * implementation specification (an alternative measure is what 164.306(d)(3) allows for addressable ones only), the
 * same pattern accepted twice, and an entry that expires before it was approved.
 */
import type { Finding, FindingAcceptance } from '../evaluate/finding.js';
import type { MapAcceptance } from '../map/model.js';
import type { AcceptanceReport } from '../report/model.js';
import type { LoadedRule } from '../rules/schema.js';
import { type Diagnostic, formatLocation } from '../source/diagnostics.js';
import { position } from '../source/positions.js';
import { closest } from '../source/suggest.js';

/**
 * Whether `text` matches `pattern`, where `*` is any run of characters and `?` any one. No backtracking: the pattern
 * is cut at its stars, the first piece must start the text, the last must end it, and each piece between is taken at
 * its leftmost place (which is always safe). Work is at most the text's length times the pattern's.
 */
export function globMatch(pattern: string, text: string): boolean {
  const pieces = pattern.split('*');
  const pieceAt = (piece: string, at: number): boolean => {
    if (at + piece.length > text.length) return false;
    for (let i = 0; i < piece.length; i++) if (piece[i] !== '?' && piece[i] !== text[at + i]) return false;
    return true;
  };
  if (pieces.length === 1) return pattern.length === text.length && pieceAt(pattern, 0);
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > text.length || !pieceAt(first, 0) || !pieceAt(last, text.length - last.length)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let p = 1; p < pieces.length - 1; p++) {
    const piece = pieces[p]!;
    if (piece === '') continue;
    let found = -1;
    for (let i = at; i + piece.length <= end; i++) {
      if (pieceAt(piece, i)) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    at = found + piece.length;
  }
  return true;
}

function splitPattern(finding: string): { rule: string; target: string } {
  const at = finding.indexOf('@');
  return { rule: finding.slice(0, at), target: finding.slice(at + 1) };
}

/** The problems with the map's acceptances that no run may pass: unknown rules, rules not acceptable, misplaced alternatives. */
export function checkAcceptances(entries: readonly MapAcceptance[], rules: readonly LoadedRule[]): Diagnostic[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const ids = [...byId.keys()];
  const out: Diagnostic[] = [];
  const seen = new Map<string, MapAcceptance>();
  for (const entry of entries) {
    const { rule: ruleId } = splitPattern(entry.spec.finding);
    const rule = byId.get(ruleId);
    const at = position(entry.at);
    const first = seen.get(entry.spec.finding);
    if (first !== undefined) {
      out.push({ ...at, message: `accepted: "${entry.spec.finding}" is accepted twice, also at ${formatLocation(position(first.at))}: keep one entry` });
    } else seen.set(entry.spec.finding, entry);
    const { approved, expires } = entry.spec;
    if (approved !== undefined && expires !== undefined && expires < approved) {
      out.push({ ...at, message: `accepted: "${entry.spec.finding}" expires ${expires}, before it was approved (${approved})` });
    }
    if (rule === undefined) {
      const hint = closest(ruleId, ids);
      out.push({
        ...at,
        message: `accepted: finding "${entry.spec.finding}" names rule "${ruleId}", which is not a rule of this run${hint ? ` (did you mean "${hint}"?)` : ''}: see \`phi-audit rules\``,
      });
      continue;
    }
    if (rule.acceptable === false) {
      out.push({
        ...at,
        message: `accepted: rule ${rule.id} is not acceptable (acceptable: false): its findings are exposures to remove, not risks to document; fix the finding and remove this entry`,
      });
      continue;
    }
    if (entry.spec.alternative !== undefined && !rule.cite.some((c) => c.implementation === 'addressable')) {
      out.push({
        ...at,
        message: `accepted: "${entry.spec.finding}" gives an alternative, but rule ${rule.id} cites no addressable implementation specification (an equivalent alternative measure is allowed only for those, 164.306(d)(3)): put the text under reason:`,
      });
    }
  }
  return out;
}

function acceptanceOf(entry: MapAcceptance): FindingAcceptance {
  const s = entry.spec;
  return {
    reason: s.reason.trim(),
    ...(s.owner !== undefined ? { owner: s.owner } : {}),
    ...(s.approved !== undefined ? { approved: s.approved } : {}),
    ...(s.expires !== undefined ? { expires: s.expires } : {}),
    ...(s.ticket !== undefined ? { ticket: s.ticket } : {}),
    ...(s.alternative !== undefined ? { alternative: s.alternative.trim() } : {}),
    pattern: s.finding,
    location: position(entry.at),
  };
}

/**
 * Match the acceptances to the findings and mark the accepted ones (findings are marked, never removed). Returns every
 * entry with its state, in map order. Call checkAcceptances first: entries are assumed to name known rules.
 */
export function applyAcceptances(entries: readonly MapAcceptance[], findings: readonly Finding[], asOf: string): AcceptanceReport[] {
  if (entries.length === 0) return [];
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) {
    let list = byRule.get(f.rule);
    if (list === undefined) byRule.set(f.rule, (list = []));
    list.push(f);
  }
  const out: AcceptanceReport[] = [];
  for (const entry of entries) {
    const { rule, target } = splitPattern(entry.spec.finding);
    const glob = target.includes('*') || target.includes('?');
    const matched = (byRule.get(rule) ?? []).filter((f) => (glob ? globMatch(target, f.target) : f.target === target));
    const expired = entry.spec.expires !== undefined && entry.spec.expires < asOf;
    const state: AcceptanceReport['state'] = matched.length === 0 ? 'stale' : expired ? 'expired' : 'active';
    const acceptance = acceptanceOf(entry);
    if (state === 'active') for (const f of matched) f.accepted ??= acceptance;
    const { pattern, location, ...fields } = acceptance;
    out.push({ finding: pattern, state, ...fields, matches: matched.map((f) => f.id), location });
  }
  return out;
}
