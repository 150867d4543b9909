import { writeFileSync } from 'node:fs';
import { InputError, noPosition } from '../load/diagnostics.js';
import { STARTER_MAP } from './starter.js';

export async function initCommand(file: string): Promise<number> {
  try {
    // 'wx' fails when the file exists: init never overwrites what a user wrote.
    writeFileSync(file, STARTER_MAP, { flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new InputError([noPosition(file, 'already exists; phi-audit init never overwrites a file: name another path, e.g. `phi-audit init new-map.yaml`')]);
    throw new InputError([noPosition(file, `cannot write the file (${code ?? (err as Error).message})`)]);
  }
  process.stdout.write(`wrote ${file}: edit it to describe your system, then run \`phi-audit scan\`\n`);
  return 0;
}
