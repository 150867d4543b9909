/** A rule's messages, compiled once: a template per reason, filled from the check's arguments and the target. */

import { citationText, type LoadedRule, type TargetType } from '../rules/schema.js';
import type { Position } from '../source/positions.js';

/**
 * What a finding says about its target, shared by every finding on it. The PHI path and the location may be made
 * each time they are read (a million findings keep no path and no position of their own).
 */
export interface TargetFacts {
  readonly target: { readonly id: string; readonly type: TargetType };
  readonly classes: readonly string[];
  readonly phiPath: readonly string[];
  readonly location: Position;
  readonly records: number | undefined;
}

/** A message template split once into literal text and placeholder names. */
export type Template = readonly (string | { key: string })[];

export interface CompiledRule {
  rule: LoadedRule;
  cite: string[];
  remediation: string;
  messages: Map<string, Template>;
  fallback: Template;
}

function compileTemplate(text: string): Template {
  const parts: (string | { key: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{([a-z_]+)\}/g)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ key: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function compileRule(rule: LoadedRule): CompiledRule {
  const messages = new Map<string, Template>();
  let fallback: Template;
  if (typeof rule.message === 'string') fallback = compileTemplate(rule.message);
  else {
    for (const [reason, text] of Object.entries(rule.message)) messages.set(reason, compileTemplate(text));
    fallback = messages.get('default') ?? messages.get('fail') ?? compileTemplate(rule.title);
  }
  return { rule, cite: rule.cite.map(citationText), remediation: rule.remediation.trim(), messages, fallback };
}

/** The template filled from the check's arguments, then from the target's facts. */
export function render(template: Template, facts: TargetFacts, args: Readonly<Record<string, string | number>>): string {
  const { target } = facts;
  let out = '';
  for (const part of template) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const key = part.key;
    let v: string | number | undefined = Object.hasOwn(args, key) ? args[key] : undefined;
    if (v === undefined) {
      if (key === 'target') v = target.id;
      else if (key === 'type') v = target.type;
      else if (key === 'classes') v = facts.classes.join(', ') || 'none';
      else if (key === 'records') v = facts.records ?? 'an unknown number of';
      else if (key === 'path') v = facts.phiPath.join(' → ');
    }
    // An empty note is left out; any other missing value is said to be unknown rather than printed as {key}.
    out += v === undefined || v === '' ? (key === 'note' ? '' : `(${key} unknown)`) : String(v);
  }
  return out;
}
