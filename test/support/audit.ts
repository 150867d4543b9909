/** The library's pipeline, for tests: a report from map files or from map text, failing loudly on input errors. */
import { type AuditOptions, audit, auditMap, type LoadedRule, loadRules, type PhiMap, type Report } from '../../src/index.js';
import { validateMapText } from '../../src/map/load.js';
import { mergeFiles } from '../../src/map/merge.js';
import { ROOT } from './cli.js';

let builtin: LoadedRule[] | undefined;
export const builtinRules = (): LoadedRule[] => (builtin ??= loadRules());

export async function reportFor(paths: string[], options: AuditOptions = {}): Promise<Report> {
  const result = await audit({ cwd: ROOT, loadedRules: builtinRules(), ...options, paths });
  if (!result.ok) throw new Error(`input problems: ${JSON.stringify(result.diagnostics)}`);
  return result.report;
}

/** A map from one file's text, merged and checked as the loader does. */
export function mapOf(text: string, name = 'test.yaml'): PhiMap {
  const r = validateMapText(name, text);
  if (!r.file) throw new Error(`map does not load: ${JSON.stringify(r.diagnostics)}`);
  const merged = mergeFiles([r.file]);
  if (merged.diagnostics.length > 0) throw new Error(`map does not merge: ${JSON.stringify(merged.diagnostics)}`);
  return merged.map;
}

export async function reportOfMap(map: PhiMap, options: Omit<AuditOptions, 'paths' | 'cwd'> = {}): Promise<Report> {
  const result = await auditMap(map, { loadedRules: builtinRules(), ...options });
  if (!result.ok) throw new Error(`input problems: ${JSON.stringify(result.diagnostics)}`);
  return result.report;
}
