import { mapJsonSchema } from '../schema/json-schema.js';
import { emit } from './output.js';

export async function schemaCommand(flags: { output?: string }): Promise<number> {
  emit([`${JSON.stringify(mapJsonSchema(), null, 2)}\n`], flags.output);
  return 0;
}
