/** JSON Schema of the map, generated from the zod schema, for editors (yaml-language-server). */
import { z } from 'zod';
import { toolVersion } from '../package.js';
import { MapFile } from './schema.js';

export function mapJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(MapFile, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  return {
    ...schema,
    title: `phi-audit PHI map, format v1 (phi-audit ${toolVersion()})`,
    description: 'A declarative map of services, stores, logs, vendors and the flows between them. See the phi-audit README.',
  };
}
