/** Load stage: discover → read → validate each file → merge → check references. */
import { statSync } from 'node:fs';
import { z } from 'zod';
import { atStart, type Diagnostic, InputError, sortDiagnostics } from '../source/diagnostics.js';
import { readRegularFile } from '../source/files.js';
import { issuesToDiagnostics } from '../source/issues.js';
import { DEFAULT_LIMITS, howToRaise, type InputLimits, megabytes } from '../source/limits.js';
import { displayPath } from '../source/names.js';
import { locate } from '../source/positions.js';
import { type ReadOptions, readMapSource } from '../source/read-map.js';
import { explainSchemaDiagnostics } from '../source/yaml-hints.js';
import { discoverMapFiles } from './discover.js';
import { mergeFiles, type ValidFile } from './merge.js';
import type { PhiMap } from './model.js';
import { MAP_VERSIONS, MapFile } from './schema.js';

export interface LoadOptions {
  cwd?: string;
  /** Let the fast reader read valid files (default true); false reads every file with the exact parser. Results are the same. */
  fast?: boolean;
  /** Input size limits (default DEFAULT_LIMITS). */
  limits?: InputLimits;
}

/** A map file above this size (about 10,000 nodes) is validated with zod's compiled fast paths. */
const JIT_WORTH_BYTES = 4_000_000;

/** Read and validate one map file's text. */
export function validateMapText(displayName: string, text: string, read: ReadOptions = {}): { file?: ValidFile; diagnostics: Diagnostic[] } {
  const parsed = readMapSource(displayName, text, read);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const { source, value } = parsed;
  if (!('version' in value)) {
    return { diagnostics: [{ ...locate({ source, path: [] }), message: `missing \`version: 1\`: every PHI map file starts with it` }] };
  }
  if (typeof value.version === 'string' && (MAP_VERSIONS as readonly number[]).includes(Number(value.version))) {
    return {
      diagnostics: [
        {
          ...locate({ source, path: ['version'] }),
          message: `version must be the number ${value.version}, not the text "${value.version}": write \`version: ${value.version}\` without quotes`,
        },
      ],
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
  if (!result.success) return { diagnostics: explainSchemaDiagnostics(text, issuesToDiagnostics(source, MapFile, value, result.error.issues)) };
  // part_of joins a whole system to another: only a system's root file can say so (map/systems.ts).
  if (result.data.part_of !== undefined && !/(^|[\\/])phi-map\.ya?ml$/i.test(displayName)) {
    return {
      diagnostics: [
        { ...locate({ source, path: ['part_of'] }, 'key'), message: 'part_of belongs in a phi-map.yaml (it joins that system to another): move it there' },
      ],
    };
  }
  return { file: { source, spec: result.data }, diagnostics: [] };
}

function sizeOf(abs: string): number {
  try {
    return statSync(abs).size;
  } catch {
    return 0; // the read reports it
  }
}

/** A file past the size limit, or one that takes the run's total past its limit. */
function sizeProblem(name: string, size: number, total: number, limits: InputLimits): Diagnostic | undefined {
  if (size > limits.maxFileBytes) {
    return atStart(
      name,
      `the file is ${megabytes(size)}, more than the limit of ${megabytes(limits.maxFileBytes)} per map file: split the map into files, or ${howToRaise('maxFileBytes', limits)}`,
    );
  }
  if (total + size > limits.maxTotalBytes) {
    return atStart(
      name,
      `this file takes the map files read to ${megabytes(total + size)}, more than the limit of ${megabytes(limits.maxTotalBytes)} in all: scan fewer files, or ${howToRaise('maxTotalBytes', limits)}`,
    );
  }
  return undefined;
}

/** Load the map from paths (files, folders, globs; none = working folder). Throws InputError with every problem found. */
export function loadMap(paths: readonly string[], options: LoadOptions = {}): PhiMap {
  const cwd = options.cwd ?? process.cwd();
  const files = discoverMapFiles(paths, cwd);
  const valid: ValidFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const limits = options.limits ?? DEFAULT_LIMITS;
  let total = 0;
  for (const abs of files) {
    const name = displayPath(abs, cwd);
    // Sizes before reading: a 200 MB map took 111 s and 4.4 GB. The text read is checked again below.
    const tooBig = sizeProblem(name, sizeOf(abs), total, limits);
    if (tooBig) {
      diagnostics.push(tooBig);
      continue;
    }
    // Regular files only, opened so that a FIFO swapped in after discovery cannot block the read.
    const read = readRegularFile(abs, 'map file');
    if (!read.ok) {
      diagnostics.push(atStart(name, read.message));
      continue;
    }
    const grown = sizeProblem(name, read.text.length, total, limits);
    if (grown) {
      diagnostics.push(grown);
      continue;
    }
    total += read.text.length;
    // The CLI validates small inputs jitless (compiling zod's fast paths costs more than it saves there); a map file
    // this large has enough nodes for the compiled paths to pay (about 0.6 s of 3.5 s at 50,000 nodes). Speed only:
    // both modes give the same result.
    if (read.text.length > JIT_WORTH_BYTES) z.config({ jitless: false });
    const r = validateMapText(name, read.text, { fast: options.fast !== false, limits });
    diagnostics.push(...r.diagnostics);
    if (r.file) valid.push(r.file);
  }
  // Reference errors across files only make sense once every file parsed.
  if (diagnostics.length === 0) {
    const merged = mergeFiles(valid);
    if (merged.diagnostics.length === 0) return merged.map;
    diagnostics.push(...merged.diagnostics);
  }
  throw new InputError(sortDiagnostics(diagnostics));
}
