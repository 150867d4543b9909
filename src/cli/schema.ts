import { mapJsonSchema } from '../map/json-schema.js';
import { EXIT, type ExitCode } from './exit.js';
import { emit } from './output.js';

export async function schemaCommand(flags: { output?: string }): Promise<ExitCode> {
  // emit refuses a map (by name, link or inode), a YAML file, and any file that is not a JSON Schema already.
  emit([`${JSON.stringify(mapJsonSchema(), null, 2)}\n`], flags.output, { what: 'schema' });
  return EXIT.clean;
}
