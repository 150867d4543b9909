/** The rule file format: one rule a YAML file under rules/, file name = rule id. */
import { z } from 'zod';
import { ID_PATTERN } from '../source/names.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
export const TARGET_TYPES = ['service', 'store', 'log', 'vendor', 'flow'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/**
 * How a citation labels the text it cites. `required` and `addressable` exist only for the Security Rule's
 * implementation specifications (164.302-164.318); the meta-test holds every bundled rule to that.
 */
export const CITATION_LABELS = ['standard', 'required', 'addressable', 'implementation-specification', 'definition', 'provision'] as const;

export interface CheckSpec {
  function: string;
  options?: Record<string, unknown> | undefined;
}

// Built on first use: with the precompiled rule pack, a scan never validates a rule file.
function buildRuleSchema() {
  const Check: z.ZodType<CheckSpec> = z.strictObject({
    function: z.string().describe('one of the named check functions (`phi-audit rules --functions`)'),
    options: z.record(z.string(), z.unknown()).optional(),
  });

  const Citation = z.strictObject({
    regulation: z.string().default('45 CFR').describe('the code the section belongs to'),
    section: z.string().regex(/^\d+\.\d+(\([a-zA-Z0-9]+\))*$/, 'expected a section like 164.312(a)(2)(iv)'),
    standard: z.string().describe('name of the standard or implementation specification'),
    implementation: z
      .enum(CITATION_LABELS)
      .describe(
        'what the cited text is: a standard; a required or addressable implementation specification (Security Rule, 164.302-164.318, only); an implementation specification of the Privacy or Breach Notification Rule (which have no required/addressable split); a definition; or another provision',
      ),
  });

  const Rule = z.strictObject({
    id: z.string().regex(ID_PATTERN, 'rule ids are lowercase letters, digits, ".", "_" or "-"'),
    title: z.string().min(1),
    severity: z.enum(SEVERITIES),
    cite: z.array(Citation).min(1),
    rationale: z.string().min(1),
    remediation: z.string().min(1),
    applies_to: z.strictObject({
      targets: z.array(z.enum(TARGET_TYPES)).min(1),
      kinds: z.array(z.string()).optional().describe('store or log kinds; absent = all'),
      exclude_kinds: z.array(z.string()).optional(),
      phi: z.enum(['required', 'any']).default('required').describe('required (default): only targets that hold, send or carry PHI; any: every target'),
      when: Check.optional().describe('a check that must pass for the rule to apply'),
    }),
    check: Check,
    undeclared: z
      .enum(['unknown', 'fail'])
      .default('unknown')
      .describe(
        'what a fact the map does not declare gives: unknown (default: the safeguard is not established) or fail (the rule judges what the map says about itself, and the value is needed for that)',
      ),
    message: z.union([z.string(), z.record(z.string(), z.string())]).describe('a sentence, or one per reason the check gives (key `default` for the rest)'),
    folds: z
      .array(z.string().regex(ID_PATTERN))
      .optional()
      .describe(
        'rule ids whose findings on the same target follow from this one (a node that must not hold PHI at all gets the finding that removes it; the safeguard findings its presence sets off are folded under it: shown, not counted)',
      ),
    acceptable: z
      .boolean()
      .optional()
      .describe(
        "false: a map's `accepted:` entry may not accept this rule's findings (PHI to a vendor with no BAA, PHI on an unmanaged device, public PHI); accepting one is an input error",
      ),
    escalate: z
      .array(z.strictObject({ when: Check, severity: z.enum(SEVERITIES) }))
      .optional()
      .describe('raise the severity when a check passes on the target, first match wins'),
  });
  return Rule;
}

let ruleSchema: ReturnType<typeof buildRuleSchema> | undefined;
export const RuleSchema = (): ReturnType<typeof buildRuleSchema> => (ruleSchema ??= buildRuleSchema());

export type RuleSpec = z.infer<ReturnType<typeof buildRuleSchema>>;
export type Citation = RuleSpec['cite'][number];

/** `45 CFR 164.312(a)(1)`: how a citation is written in findings. */
export function citationText(c: Citation): string {
  return `${c.regulation} ${c.section}`;
}

export interface LoadedRule extends RuleSpec {
  /** Where the rule was read from, for messages and `phi-audit rules`. */
  readonly file: string;
  readonly builtin: boolean;
}
