/**
 * Build step: bundle the CLI into dist/bin/ so it starts by loading a few files instead of a few hundred modules.
 * Each command and formatter stays in a chunk of its own, loaded when used. The library (dist/index.js) stays
 * unbundled. Run by `npm run build` after tsc; not shipped.
 */
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunks are named by content hash: clear the folder so a package never ships chunks of an earlier build.
rmSync('dist/bin', { recursive: true, force: true });

await build({
  entryPoints: { 'phi-audit': 'dist/cli/main.js' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS dependencies (yaml, commander, fast-glob) call require() for Node built-ins.
  banner: { js: "import { createRequire as __phiAuditRequire } from 'node:module'; const require = __phiAuditRequire(import.meta.url);" },
  logLevel: 'warning',
});

chmodSync('dist/bin/phi-audit.js', 0o755);
