import { existsSync } from 'node:fs';
import { mapJsonSchema } from '../map/json-schema.js';
import { InputError, noPosition } from '../source/diagnostics.js';
import { EXIT, type ExitCode } from './exit.js';
import { emit } from './output.js';

export async function schemaCommand(flags: { output?: string }): Promise<ExitCode> {
  // A YAML file there is most likely a map: never overwrite one with the schema.
  if (flags.output !== undefined && /\.ya?ml$/i.test(flags.output) && existsSync(flags.output)) {
    throw new InputError([noPosition(flags.output, 'is a YAML file that exists; the schema is JSON: write it to phi-map.schema.json')]);
  }
  emit([`${JSON.stringify(mapJsonSchema(), null, 2)}\n`], flags.output);
  return EXIT.clean;
}
