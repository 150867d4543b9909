/**
 * `phi-audit draft --from terraform|cloudformation FILE`: a commented map draft from infrastructure code, to stdout or
 * a new file; with `--update MAP`, merged into a map the person has edited (printed, shown as a diff, or written back
 * with `--write`). It never writes over a file it was not asked to replace.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Document } from 'yaml';
import { draftFromCloudFormation } from '../draft/cloudformation.js';
import { unifiedDiff } from '../draft/diff.js';
import { parseJson, parseTemplate, readInput } from '../draft/input.js';
import type { Draft } from '../draft/model.js';
import { draftDocument, TO_STRING } from '../draft/render.js';
import { draftFromTerraform } from '../draft/terraform.js';
import { updateDocument } from '../draft/update.js';
import { MapFile } from '../map/schema.js';
import { InputError, noPosition } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { displayPath } from '../source/names.js';
import { parseYaml } from '../source/yaml.js';
import { readEnv } from './env.js';
import { EXIT, type ExitCode } from './exit.js';
import { emit } from './output.js';
import { reportProblems } from './run.js';

export const DRAFT_SOURCES = ['terraform', 'cloudformation'] as const;

export interface DraftOptions {
  from: (typeof DRAFT_SOURCES)[number];
  output?: string;
  update?: string;
  diff?: boolean;
  write?: boolean;
}

function usage(message: string): never {
  throw new InputError([noPosition('draft', message)]);
}

/** Our own output must be a map the schema accepts: a draft that is not is our bug, not the user's. */
function checkShape(doc: Document): void {
  const result = MapFile.safeParse(doc.toJS({ maxAliasCount: 10_000 }));
  if (!result.success)
    throw new Error(`the draft does not fit the map schema: ${result.error.issues[0]?.message} at ${result.error.issues[0]?.path.join('.')}`);
}

export async function draftCommand(input: string, opts: DraftOptions): Promise<ExitCode> {
  const env = readEnv();
  if (env.problems.length > 0) return reportProblems(env.problems.map(([name, message]) => noPosition(name, message)));
  if ((opts.diff || opts.write) && !opts.update) usage('--diff and --write work with --update MAP: name the map draft to update');
  if (opts.diff && opts.write) usage('--diff prints the changes and --write saves them: choose one');
  if (opts.write && opts.output) usage('--write saves to the --update file: leave out --output, or leave out --write to save elsewhere');
  const cwd = process.cwd();
  const shown = displayPath(path.resolve(cwd, input), cwd);
  const text = readInput(input, shown, opts.from === 'terraform' ? 'Terraform plan' : 'CloudFormation template', env.limits);
  let draft: Draft;
  if (opts.from === 'terraform') draft = draftFromTerraform(parseJson(text, shown, 'the plan'), shown);
  else draft = draftFromCloudFormation(parseTemplate(text, shown, env.limits), shown);

  const command = `phi-audit draft --from ${opts.from} ${shown}`;
  let result: string;
  let summary: string;
  let original: string | undefined;
  if (opts.update) {
    const mapShown = displayPath(path.resolve(cwd, opts.update), cwd);
    original = readInput(opts.update, mapShown, 'map file', env.limits);
    const parsed = parseYaml(mapShown, original, 'a PHI map', env.limits);
    if (!parsed.ok) return reportProblems(parsed.diagnostics);
    const doc = parsed.source.doc;
    if (!doc) throw new Error('the map was read without its syntax tree');
    const { changes } = updateDocument(doc, draft, mapShown);
    checkShape(doc);
    result = doc.toString(TO_STRING);
    summary =
      changes.length === 0
        ? `${mapShown} is up to date with ${shown}`
        : `${changes.length} change${changes.length === 1 ? '' : 's'} from ${shown}:\n${changes.map((c) => `  ${c}`).join('\n')}`;
  } else {
    const doc = draftDocument(draft, command);
    checkShape(doc);
    result = doc.toString(TO_STRING);
    const count = (s: string) => draft.nodes.filter((n) => n.section === s).length;
    const questions = draft.nodes.reduce((n, node) => n + node.questions.length, 0);
    summary = `drafted ${count('services')} services, ${count('stores')} stores, ${count('logs')} logs and ${draft.flows.length} flows from ${shown}; ${questions} questions to answer (QUESTION comments)`;
  }

  if (opts.diff) {
    emit([unifiedDiff(original ?? '', result, opts.update!)], opts.output, { what: 'map draft', cwd });
  } else if (opts.write) {
    if (result !== original) emit([result], opts.update, { what: 'map draft', replaces: opts.update, cwd });
  } else {
    if (opts.output && existsSync(path.resolve(cwd, opts.output))) {
      usage(
        `--output ${opts.output} exists: phi-audit draft never writes over a file; to merge into it, run with --update ${opts.output} (add --write to save the result there)`,
      );
    }
    emit([result], opts.output, { what: 'map draft', cwd });
  }
  process.stderr.write(`${summary.split('\n').map(escapeTerminal).join('\n')}\n`);
  return EXIT.clean;
}
