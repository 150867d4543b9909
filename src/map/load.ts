/** Load stage: discover → parse → validate each file → merge → check references. */
import { readFileSync } from 'node:fs';
import { atStart, InputError, sortDiagnostics, type Diagnostic } from '../source/diagnostics.js';
import { discoverMapFiles, displayPath } from './discover.js';
import { issuesToDiagnostics } from '../source/issues.js';
import { mergeFiles, type ValidFile } from './merge.js';
import type { PhiMap } from './model.js';
import { parseYaml } from '../source/yaml.js';
import { parseChunked } from '../source/chunked.js';
import { locate } from '../source/positions.js';
import { MAP_VERSIONS, MapFile } from './schema.js';

export interface LoadOptions {
  cwd?: string;
  /** Read large files in pieces (default true); false parses every file whole. Results are the same. */
  pieces?: boolean;
}

/** Parse and validate one map file's text. */
export function validateMapText(displayName: string, text: string, allowPieces = true): { file?: ValidFile; diagnostics: Diagnostic[] } {
  // A large file is read in pieces; if anything is off, it is parsed whole for exact diagnostics.
  const fast = allowPieces ? parseChunked(displayName, text) : undefined;
  if (fast && fast.value.version === MAP_VERSIONS[0]) {
    const result = MapFile.safeParse(fast.value);
    if (result.success) return { file: { source: fast.source, spec: result.data }, diagnostics: [] };
  }
  const parsed = parseYaml(displayName, text, 'a PHI map');
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const { source, value } = parsed;
  if (!('version' in value)) {
    return { diagnostics: [{ ...locate({ source, path: [] }), message: `missing \`version: 1\`: every PHI map file starts with it` }] };
  }
  if (typeof value.version === 'string' && (MAP_VERSIONS as readonly number[]).includes(Number(value.version))) {
    return {
      diagnostics: [{ ...locate({ source, path: ['version'] }), message: `version must be the number ${value.version}, not the text "${value.version}": write \`version: ${value.version}\` without quotes` }],
    };
  }
  if (!(MAP_VERSIONS as readonly unknown[]).includes(value.version)) {
    return {
      diagnostics: [
        {
          ...locate({ source, path: ['version'] }),
          message: `unsupported map version ${JSON.stringify(value.version)}: this build of phi-audit reads version ${MAP_VERSIONS.join(', ')}`,
        },
      ],
    };
  }
  const result = MapFile.safeParse(value);
  if (!result.success) return { diagnostics: issuesToDiagnostics(source, MapFile, value, result.error.issues) };
  return { file: { source, spec: result.data }, diagnostics: [] };
}

/** Load the map from paths (files, folders, globs; none = working folder). Throws InputError with every problem found. */
export function loadMap(paths: readonly string[], options: LoadOptions = {}): PhiMap {
  const result = loadFiles(paths, options, options.pieces !== false);
  // A file read in pieces keeps no syntax tree to point into: read everything whole to report exact positions.
  return result.map ?? loadFiles(paths, options, false).map!;
}

function loadFiles(paths: readonly string[], options: LoadOptions, allowPieces: boolean): { map?: PhiMap } {
  const cwd = options.cwd ?? process.cwd();
  const files = discoverMapFiles(paths, cwd);
  const valid: ValidFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const abs of files) {
    const name = displayPath(abs, cwd);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (err) {
      diagnostics.push(atStart(name, `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
      continue;
    }
    const r = validateMapText(name, text, allowPieces);
    diagnostics.push(...r.diagnostics);
    if (r.file) valid.push(r.file);
  }
  // Reference errors across files only make sense once every file parsed.
  if (diagnostics.length === 0) {
    const merged = mergeFiles(valid);
    if (merged.diagnostics.length === 0) return { map: merged.map };
    if (valid.some((f) => !f.source.doc)) return {};
    diagnostics.push(...merged.diagnostics);
  }
  throw new InputError(sortDiagnostics(diagnostics));
}
