/**
 * The system's own safeguards, read from `system:` written as a mapping (the fact subject SYSTEM_SUBJECT): its risk
 * analysis and its incident response plan. Findings need a node to stand on, so a system-wide finding is reported
 * once, on the system's anchor: the first service, store or log in map order that holds PHI (the first vendor that
 * holds PHI when no other node does).
 */
import { z } from 'zod';
import { SYSTEM_SUBJECT } from '../enrich/facts.js';
import type { Propagation } from '../graph/propagate.js';
import { defineCheck, fail, HOSTED_TARGETS, NODE_TARGETS, notApplicable, pass } from './define.js';
import type { CheckContext } from './types.js';

const anchors = new WeakMap<Propagation, string | null>();

/** The node a system-wide finding is reported on; null when nothing holds PHI. */
function anchorOf(ctx: CheckContext): string | null {
  let anchor = anchors.get(ctx.phi);
  if (anchor === undefined) {
    anchor = null;
    for (const id of ctx.phi.phiHolders) {
      if (ctx.graph.node(id)?.type !== 'vendor') {
        anchor = id;
        break;
      }
      anchor ??= id;
    }
    anchors.set(ctx.phi, anchor);
  }
  return anchor;
}

const systemText = (ctx: CheckContext, field: string): string | undefined => {
  const v = ctx.fact(SYSTEM_SUBJECT, field).value;
  return typeof v === 'string' ? v : undefined;
};

/** `date` plus `months` calendar months, as YYYY-MM-DD; a day past the end of the month is that month's last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const maxAge = z.strictObject({ max_age_months: z.number().int().positive().default(12).describe('months after which the date is out of date') });

export const riskAnalysisDeclared = defineCheck({
  name: 'risk-analysis-declared',
  description:
    "fails unless `system.risk_analysis` gives the date of the system's risk analysis; judged once, on the system's anchor (the first service, store or log holding PHI; the first vendor holding PHI when none does)",
  targets: NODE_TARGETS,
  options: z.strictObject({}),
  run(node, _o, ctx) {
    if (anchorOf(ctx) !== node.id) return notApplicable;
    const date = systemText(ctx, 'risk_analysis.date');
    return date === undefined ? fail('missing', { field: 'system.risk_analysis', value: 'undeclared' }) : pass({ date });
  },
});

export const riskAnalysisCurrent = defineCheck({
  name: 'risk-analysis-current',
  description:
    "fails when the system's risk analysis is more than `max_age_months` (default 12) old on --as-of; judged once, on the system's anchor; not applicable when none is declared",
  targets: NODE_TARGETS,
  options: maxAge,
  run(node, { max_age_months }, ctx) {
    if (anchorOf(ctx) !== node.id) return notApplicable;
    const date = systemText(ctx, 'risk_analysis.date');
    if (date === undefined) return notApplicable;
    const due = addMonths(date, max_age_months);
    return due < ctx.asOf ? fail('stale', { date, due, months: max_age_months, as_of: ctx.asOf }) : pass({ date, due });
  },
});

export const riskAnalysisCovers = defineCheck({
  name: 'risk-analysis-covers',
  description:
    "fails when the system's risk analysis lists a `scope` that leaves the node out; not applicable when no risk analysis is declared or it gives no scope (the whole system)",
  targets: HOSTED_TARGETS,
  options: z.strictObject({}),
  run(node, _o, ctx) {
    const date = systemText(ctx, 'risk_analysis.date');
    if (date === undefined) return notApplicable;
    const scope = ctx.fact(SYSTEM_SUBJECT, 'risk_analysis.scope').value;
    if (!Array.isArray(scope)) return notApplicable;
    return scope.includes(node.id) ? pass({ date }) : fail('out-of-scope', { date, scope: scope.join(', ') || 'nothing' });
  },
});

export const incidentResponseTested = defineCheck({
  name: 'incident-response-tested',
  description:
    "fails unless `system.incident_response` names the plan's document and the date it was last tested, no more than `max_age_months` (default 12) before --as-of; judged once, on the system's anchor",
  targets: NODE_TARGETS,
  options: maxAge,
  run(node, { max_age_months }, ctx) {
    if (anchorOf(ctx) !== node.id) return notApplicable;
    const document = systemText(ctx, 'incident_response.document');
    if (document === undefined) return fail('missing', { field: 'system.incident_response', value: 'undeclared', what: 'no incident response plan' });
    const tested = systemText(ctx, 'incident_response.tested');
    if (tested === undefined) {
      return fail('missing', {
        field: 'system.incident_response.tested',
        value: 'undeclared',
        what: `no date on which the plan (${document}) was last tested`,
      });
    }
    const due = addMonths(tested, max_age_months);
    return due < ctx.asOf ? fail('stale', { document, tested, due, months: max_age_months, as_of: ctx.asOf }) : pass({ document, tested });
  },
});
