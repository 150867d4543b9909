/** Build step: validate the built-in rules and catalogs and write dist/rulepack.json (see src/rules/pack.ts). Not shipped. */
import { writeFileSync } from 'node:fs';
import { buildPack } from '../dist/rules/build-pack.js';
import { packFile } from '../dist/rules/pack.js';
import { formatDiagnostic, InputError } from '../dist/source/diagnostics.js';

try {
  writeFileSync(packFile(), JSON.stringify(buildPack()));
} catch (err) {
  if (!(err instanceof InputError)) throw err;
  process.stderr.write(`${err.diagnostics.map(formatDiagnostic).join('\n')}\nthe built-in rule pack has errors; fix them and build again\n`);
  process.exitCode = 2;
}
