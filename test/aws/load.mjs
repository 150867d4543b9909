// The local AWS server for plain .mjs scripts (bench/): Node 20 cannot import .ts, so this bundles test/aws with
// esbuild (a dev dependency) into one self-contained file, .bench/aws-server.mjs by default, and imports it. Tests
// import test/aws/server.ts directly.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/** Returns the module: { startAwsServer, scaleFixture, scaleMap, ... } (see test/aws/README.md). */
export async function loadAwsServer(outDir = path.join(root, '.bench')) {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'aws-server.mjs');
  await build({
    stdin: { contents: "export * from './server.ts';\nexport * from './scale.ts';\n", resolveDir: here, loader: 'ts', sourcefile: 'aws-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // the yaml package is CommonJS: give the bundle a require of its own
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    outfile,
    logLevel: 'silent',
  });
  return import(pathToFileURL(outfile).href);
}
