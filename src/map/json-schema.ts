/** JSON Schema of the map, generated from the zod schema, for editors (yaml-language-server). */
import { z } from 'zod';
import { toolVersion } from '../package.js';
import { MapFile, SystemInfo } from './schema.js';

export function mapJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(MapFile, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  // The loader checks `system:` written as a mapping when it merges the files (schema.ts); editors get its shape here.
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  const { $schema: _, ...mapping } = z.toJSONSchema(SystemInfo, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  properties.system = { description: properties.system?.description, anyOf: [{ type: 'string' }, mapping] };
  return {
    ...schema,
    title: `phi-audit PHI map, format v1 (phi-audit ${toolVersion()})`,
    description: 'A declarative map of services, stores, logs, vendors and the flows between them. See the phi-audit README.',
  };
}
