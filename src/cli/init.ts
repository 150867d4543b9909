import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { mapJsonSchema } from '../map/json-schema.js';
import { InputError, noPosition } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { closest } from '../source/suggest.js';
import { EXIT, type ExitCode } from './exit.js';
import { STARTER_MAP, TEMPLATES, templateNames, templateText } from './starter.js';

/** Write `text` to `file` unless something is there already ('wx'): init never overwrites what a user wrote. */
function create(file: string, text: string): boolean {
  try {
    writeFileSync(file, text, { flag: 'wx' });
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new InputError([noPosition(file, `cannot write the file (${code ?? (err as Error).message})`)]);
  }
}

/** The starter's text: the small default map, or a bundled template by name. */
function starterText(template: string | undefined): string {
  if (template === undefined) return STARTER_MAP;
  if (!(templateNames() as string[]).includes(template)) {
    const hint = closest(template, templateNames());
    const list = TEMPLATES.map((t) => `${t.name} (${t.about})`).join('; ');
    throw new InputError([noPosition(`--template ${template}`, `no such template${hint ? `: did you mean "${hint}"?` : '.'} The templates are: ${list}`)]);
  }
  return templateText(template);
}

export async function initCommand(file: string, flags: { template?: string } = {}): Promise<ExitCode> {
  const text = starterText(flags.template);
  if (!create(file, text)) {
    throw new InputError([noPosition(file, 'already exists; phi-audit init never overwrites a file: name another path, e.g. `phi-audit init new-map.yaml`')]);
  }
  // The starter's `yaml-language-server` line points at this file, for completion in the editor.
  const schema = path.join(path.dirname(file), 'phi-map.schema.json');
  const wroteSchema = create(schema, `${JSON.stringify(mapJsonSchema(), null, 2)}\n`);
  const what = flags.template ? `the ${flags.template} template to ${escapeTerminal(file)}` : escapeTerminal(file);
  process.stdout.write(
    `wrote ${what}${wroteSchema ? ` and ${escapeTerminal(schema)} (for editor completion)` : ''}: edit the map to describe your system, then run \`phi-audit scan\`\n`,
  );
  if (!flags.template) process.stdout.write(`for a realistic map to adapt, try \`phi-audit init --template ${templateNames().join('|')} FILE\`\n`);
  return EXIT.clean;
}
