/** People and their access over time: access reviews and deprovisioning, and someone reviewing the audit log. */
import { z } from 'zod';
import { defineCheck, fail, HOSTED_TARGETS, notApplicable, pass } from './define.js';

const days = z.number().int().positive();

export const accessLifecycle = defineCheck({
  name: 'access-lifecycle',
  description:
    'fails unless `access.review_interval_days` is declared and at most `max_review_days` (default 90) and `access.deprovisioning` is declared (automated or manual); on services, only those people log in to (`interactive: true`) unless `services: all`',
  targets: HOSTED_TARGETS,
  options: z.strictObject({
    max_review_days: days.default(90).describe('the longest interval between access reviews the rule accepts'),
    services: z.enum(['interactive', 'all']).default('interactive').describe('which services are judged: those people log in to, or all'),
  }),
  run(node, { max_review_days, services }, ctx) {
    // People's access is what is reviewed and removed: a service nobody logs in to has none of its own.
    if (node.type === 'service' && services === 'interactive' && ctx.fact(node.id, 'interactive').value !== true) return notApplicable;
    const interval = ctx.fact(node.id, 'access.review_interval_days').value;
    const deprovisioning = ctx.fact(node.id, 'access.deprovisioning').value;
    const missing: [field: string, what: string][] = [
      ...(interval === undefined ? [['access.review_interval_days', 'how often access to it is reviewed'] as [string, string]] : []),
      ...(deprovisioning === undefined ? [['access.deprovisioning', 'how access ends when someone leaves'] as [string, string]] : []),
    ];
    const fields = missing.map(([field]) => field).join(' and ');
    if (typeof interval === 'number' && interval > max_review_days) {
      const note = missing.length > 0 ? `; the map does not say ${missing[0]![1]} (${fields})` : '';
      return fail('interval', { value: interval, expected: max_review_days, note });
    }
    if (missing.length > 0) {
      return fail('missing', { field: fields, value: 'undeclared', what: missing.map(([field, what]) => `${what} (${field})`).join(', nor ') });
    }
    return pass({ interval: String(interval), deprovisioning: String(deprovisioning) });
  },
});

export const auditLogReviewed = defineCheck({
  name: 'audit-log-reviewed',
  description:
    'fails unless the log declares `review.method` (siem, alerting or manual), and a manual review its `review.interval_days`; an interval over `max_interval_days` (default 30) fails whatever the method',
  targets: ['log'],
  options: z.strictObject({ max_interval_days: days.default(30).describe('the longest interval between reviews the rule accepts') }),
  run(log, { max_interval_days }, ctx) {
    const method = ctx.fact(log.id, 'review.method').value;
    if (method === undefined) return fail('missing', { field: 'review.method', value: 'undeclared' });
    const interval = ctx.fact(log.id, 'review.interval_days').value;
    if (interval === undefined)
      return method === 'manual' ? fail('missing', { field: 'review.interval_days', value: 'undeclared', method }) : pass({ method: String(method) });
    if (typeof interval === 'number' && interval > max_interval_days)
      return fail('interval', { method: String(method), value: interval, expected: max_interval_days });
    return pass({ method: String(method), interval: String(interval) });
  },
});
