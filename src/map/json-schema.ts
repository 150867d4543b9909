/** JSON Schema of the map, generated from the zod schema, for editors (yaml-language-server). */
import { z } from 'zod';
import { TOOL_VERSION } from '../version.js';
import { MapFile } from './schema.js';

export function mapJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(MapFile, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  return {
    ...schema,
    title: `phi-audit PHI map, format v1 (phi-audit ${TOOL_VERSION})`,
    description: 'A declarative map of services, stores, logs, vendors and the flows between them. See the phi-audit README.',
  };
}
