#!/usr/bin/env node
// Performance bench for `phi-audit`.
//
// Generates deterministic synthetic PHI maps (bench/generate.mjs) into .bench/ and times the CLI as a child process:
//   - scan (the whole run: load, propagate, evaluate, JSON report) and validate (the load stage alone: read, schema,
//     merge, references, propagation for its summary line) of 200 / 1,000 / 10,000 / 50,000 nodes, against two
//     floors measured in the same run:
//       parse-only: a Node process that reads the same file and calls YAML.parse() (the `yaml` package);
//       import floor: a Node process that only imports the CLI's dependencies (startup cost we cannot avoid);
//   - validate of a 20,000-node map with 200 dangling flow ends (typos of declared ids), so "did you mean" runs
//     200 times against 20,000 ids; exit 2 with 200 diagnostics is expected;
//   - scan of a 50 MB map (175,000 nodes) once, writing its JSON report (about 1 GB, deleted after): peak RSS against
//     issue 10's target (1 GiB), wall time beside it; exit 1 (blocking findings) is expected.
// Wall time comes from process.hrtime.bigint() around the child; peak RSS from GNU time's %M.
// It reports figures and PASS/FAIL per target; it exits non-zero only when a child crashed.
//
// Usage: node bench/bench.mjs [--quick] [--sizes 200,1000] [--only scan|dangling|large|live] [--runs N] [--seed N] [--check] [--help]
// Env:   PHI_AUDIT_BIN=path/to/cli.js (default: the package's bin, dist/bin/phi-audit.js), PHI_BENCH_TIMEOUT_MS (default 900000)

import { spawn } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { checkMap, DEFAULT_SEED, generateMap } from './generate.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const OUT_DIR = path.join(ROOT, '.bench');
const DEFAULT_SIZES = [200, 1000, 10000, 50000];
const DANGLING = { nodes: 20000, refs: 200 };
// The large map of issue 10: 175,000 nodes with the default seed and style is 49.8 MB, under the 64 MB file limit.
const LARGE = { nodes: 175000, label: '50 MB' };
const CLI_DEPS = cliDependencies();
const GNU_TIME = '/usr/bin/time';
const MARK = '__PHI_BENCH_TIME__';
const TIMEOUT_MS = Number(process.env.PHI_BENCH_TIMEOUT_MS ?? 15 * 60 * 1000);

// Targets. The loader's (issue 5, "A faster loader"): reading a map, timed as `phi-audit validate`; the whole scan's
// time and memory are printed beside them.
const LOAD_PARSE_RATIO_10K = 0.5;
const LOAD_MS_50K = 4000;
const RSS_MIB_50K = 700;
const SCAN_IMPORT_RATIO_200 = 2;
const DANGLING_MS = 2000;
// Issue 10 ("within the stated limits, a 50 MB map scans in at most 1 GiB"): the whole scan's peak RSS; its wall
// time is printed beside it, with no target.
const LARGE_RSS_MIB = 1024;

// The import floor imports the package's dependencies that src/ imports: what the bundled CLI carries, kept in step
// as the loader changes (js-yaml joined as the fast map reader).
function cliDependencies() {
  const deps = Object.keys(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).dependencies ?? {});
  const used = new Set();
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"./][^'"]*)['"]/g)) {
          const name = m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0];
          // The AWS SDK loads only with a live option (scan --aws): not part of any run's startup.
          if (name.startsWith('@aws-sdk/')) continue;
          if (deps.includes(name)) used.add(name);
        }
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  return deps.filter((d) => used.has(d));
}

// ---------------------------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const opts = { quick: false, check: false, sizes: DEFAULT_SIZES, sizesGiven: false, runs: null, seed: DEFAULT_SEED, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') opts.quick = true;
    else if (a === '--check') opts.check = true;
    else if (a === '--sizes' || a.startsWith('--sizes=')) {
      opts.sizes = value()
        .split(',')
        .map((s) => Number(s.trim().replace(/_/g, '')));
      opts.sizesGiven = true;
      if (opts.sizes.some((n) => !Number.isInteger(n) || n < 100)) usage('--sizes takes integers >= 100, e.g. 200,1000');
    } else if (a === '--only' || a.startsWith('--only=')) {
      opts.only = value();
      if (!['scan', 'dangling', 'large', 'live'].includes(opts.only)) usage('--only takes scan, dangling, large or live');
    } else if (a === '--runs' || a.startsWith('--runs=')) {
      opts.runs = Number(value());
      if (!Number.isInteger(opts.runs) || opts.runs < 1) usage('--runs takes a positive integer');
    } else if (a === '--seed' || a.startsWith('--seed=')) {
      opts.seed = Number(value()) >>> 0;
    } else if (a === '--help' || a === '-h') usage(null);
    else usage(`unknown argument ${a}`);
  }
  return opts;
}

function usage(err) {
  const text = `usage: node bench/bench.mjs [--quick] [--sizes 200,1000,10000,50000] [--only scan|dangling|large|live] [--runs N] [--seed N] [--check]
  --quick    one run per measurement (the large map is scanned once in any case, and --quick keeps it)
  --sizes    node counts to generate and scan; given without --only large, the large map is skipped
  --only     scan: only the scans by size; dangling: only the validate of ${DANGLING.nodes.toLocaleString('en-US')} nodes with ${DANGLING.refs} dangling references;
             large: only the scan of the ${LARGE.label} map (${LARGE.nodes.toLocaleString('en-US')} nodes), once: peak RSS <= ${LARGE_RSS_MIB} MiB (issue 10), about a minute;
             live: only scan --aws over 1,000 PHI buckets in three accounts behind the local AWS server (bench/live.mjs)
  --runs     force N runs per measurement (default 5 for <=1,000 nodes, 3 for <=20,000, 2 above; the large map: always 1)
  --check    generate the maps and check them (references, ids), no timing; the large map only with --only large
             (YAML.parse of 50 MB takes minutes)
env: PHI_AUDIT_BIN (default: the package's bin, dist/bin/phi-audit.js), PHI_BENCH_TIMEOUT_MS (default 900000)`;
  if (err) {
    console.error(`bench: ${err}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------------------
// Measurement

let gnuTime = null;
async function probeGnuTime() {
  if (!existsSync(GNU_TIME)) return false;
  const r = await run([GNU_TIME, '-f', `${MARK} %e %M`, 'true'], { raw: true });
  return r.stderr.includes(MARK);
}

// Runs argv[0] with args; returns { ms, rssKiB, code, signal, stdout, stderr, timedOut }.
function run(argv, { raw = false } = {}) {
  const full = !raw && gnuTime ? [GNU_TIME, '-f', `${MARK} %e %M`, ...argv] : argv;
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    // detached: own process group, so a timeout can kill GNU time and the node child together.
    const child = spawn(full[0], full.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = [];
    const errs = [];
    let outLen = 0;
    child.stdout.on('data', (b) => {
      if (outLen < 1 << 20) out.push(b);
      outLen += b.length;
    });
    child.stderr.on('data', (b) => errs.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, TIMEOUT_MS);
    let t1 = null;
    child.on('exit', () => {
      t1 = process.hrtime.bigint();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ms: NaN, rssKiB: null, code: null, signal: null, stdout: '', stderr: String(e), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Number((t1 ?? process.hrtime.bigint()) - t0) / 1e6;
      let stderr = Buffer.concat(errs).toString('utf8');
      let rssKiB = null;
      let timeWall = null;
      if (!raw && gnuTime) {
        // GNU time writes after the child is done, so its line is the last occurrence of the marker.
        const at = stderr.lastIndexOf(MARK);
        if (at >= 0) {
          const m = /^\s*([0-9.]+)\s+(\d+)/.exec(stderr.slice(at + MARK.length));
          if (m) {
            timeWall = Number(m[1]);
            rssKiB = Number(m[2]);
          }
          stderr = stderr.slice(0, at).replace(/\n?Command (exited with non-zero status \d+|terminated by signal \d+)\n?$/, '');
        }
      }
      resolve({ ms, timeWall, rssKiB, code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, timedOut });
    });
  });
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const rel = (p) => (p.startsWith(ROOT + path.sep) ? path.relative(ROOT, p) : p);
const mib = (kib) => (kib === null ? null : kib / 1024);
/** Wall times and peak memory of a set of child runs, each and as medians. */
const timings = (runs) => ({
  ms: runs.map((x) => x.ms),
  rss_kib: runs.map((x) => x.rssKiB),
  median_ms: median(runs.map((x) => x.ms)),
  median_rss_mib: mib(median(runs.map((x) => x.rssKiB))),
});

function describeFailure(what, r) {
  const why = r.timedOut ? `timed out after ${TIMEOUT_MS} ms` : r.signal ? `killed by signal ${r.signal}` : `exit code ${r.code}`;
  const tail = (r.stderr || '').trim().split('\n').slice(-30).join('\n    ');
  return `${what}: ${why}\n    ${tail || '(no stderr)'}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function fmt(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(rows, headers) {
  const cells = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Main

function writeMap(name, options) {
  const t0 = process.hrtime.bigint();
  const { text, stats } = generateMap(options);
  const file = path.join(OUT_DIR, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  const genMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const dangling = stats.dangling.length ? `, ${fmt(stats.dangling.length)} dangling flow ends` : '';
  console.error(`generated ${rel(file)}: ${fmt(stats.nodes)} nodes, ${fmt(stats.flows)} flows${dangling}, ${fmt(stats.bytes / 1e6, 2)} MB in ${fmt(genMs)} ms`);
  return { n: stats.nodes, file, flows: stats.flows, bytes: stats.bytes, dangling: stats.dangling };
}

// The CLI's diagnostics for dangling flow ends, and how many carry the hint the generator meant.
const DANGLING_RE = /flow (?:from|to) "([^"]+)" is not a declared vendor, service, store or log(?: \(did you mean "([^"]+)"\?\))?/g;
function countDiagnostics(stderr, expected) {
  const near = new Map(expected.map((d) => [d.id, d.near]));
  let diagnostics = 0;
  let hinted = 0;
  for (const m of stderr.matchAll(DANGLING_RE)) {
    diagnostics++;
    if (m[2] !== undefined && near.get(m[1]) === m[2]) hinted++;
  }
  return { diagnostics, hinted };
}

// The large map's JSON report is about 1 GB: never parsed whole. Its `summary` object sits near the head (after
// format_version, tool, as_of, system and files); the findings list has one finding a line, each `    {"id":...`.
function readReportSummary(file, headBytes = 64 * 1024) {
  const fd = openSync(file, 'r');
  let head;
  try {
    const buf = Buffer.alloc(headBytes);
    head = buf.subarray(0, readSync(fd, buf, 0, headBytes, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const key = /\n {2}"summary": \{/.exec(head);
  if (!key) return null;
  const start = key.index + key[0].length - 1;
  // The object's end: its braces balanced, outside strings.
  let depth = 0;
  let inString = false;
  for (let i = start; i < head.length; i++) {
    const c = head[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        return JSON.parse(head.slice(start, i + 1));
      } catch {
        return null;
      }
    }
  }
  return null;
}

async function countReportFindings(file) {
  const needle = Buffer.from('\n    {"id":');
  let count = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + needle.length)) count++;
    // Keep what could be the start of a match cut by the chunk's end (never a whole match: it is one byte short).
    carry = Buffer.from(buf.subarray(Math.max(0, buf.length - (needle.length - 1))));
  }
  return count;
}

// Scan of the large map: once, under GNU time; exit 1 (findings at or above the default --fail-on) is the expected
// outcome, anything else a failure. The report is measured and deleted; the map stays in .bench/.
async function benchLarge(m, bin, node, failures) {
  const reportFile = path.join(OUT_DIR, 'large.json');
  rmSync(reportFile, { force: true });
  const argv = [node, bin, 'scan', m.file, '-f', 'json', '-o', reportFile];
  const command = argv.slice(1).map(rel).join(' ');
  console.error(`  ${fmt(m.n)} nodes, ${fmt(m.bytes / 1e6, 2)} MB: scan once (${command}) ...`);
  const r = await run(argv);
  let reportBytes = null;
  let summary = null;
  let listed = null;
  let problem = null;
  let why = null;
  const exit = r.timedOut ? 'timed out' : r.signal ? `signal ${r.signal}` : `exit ${r.code}`;
  if (r.timedOut || r.signal || r.code !== 1) {
    problem = describeFailure(`scan ${LARGE.label} map, ${fmt(m.n)} nodes (${command}), expected exit 1`, r);
    why = exit;
  } else if (!existsSync(reportFile)) {
    problem = `scan ${LARGE.label} map, ${fmt(m.n)} nodes (${command}): exit 1 but no report at ${rel(reportFile)}`;
    why = 'exit 1 but no report';
  }
  if (existsSync(reportFile)) {
    reportBytes = statSync(reportFile).size;
    if (!problem) {
      summary = readReportSummary(reportFile);
      listed = await countReportFindings(reportFile);
      if (!summary) {
        problem = `scan ${LARGE.label} map: no "summary" object in the first 64 KB of ${rel(reportFile)}`;
        why = 'no summary in the report';
      }
    }
    rmSync(reportFile, { force: true });
  }
  if (problem) {
    failures.push(problem);
    console.error(`bench: LARGE SCAN FAILED\n${problem}`);
  }
  console.error(
    `  ${fmt(m.n)} nodes run 1/1: scan ${fmt(r.ms)} ms ${fmt(mib(r.rssKiB), 0)} MiB (${exit}), ` +
      (reportBytes === null ? 'no report' : `${fmt(listed)} findings listed, report ${fmt(reportBytes / 1e6, 1)} MB (deleted)`),
  );
  return {
    nodes: m.n,
    flows: m.flows,
    file: rel(m.file),
    bytes: m.bytes,
    runs: 1,
    command,
    failed: problem !== null,
    failure: why,
    exit_code: r.code,
    signal: r.signal,
    timed_out: r.timedOut,
    ms: r.ms,
    rss_kib: r.rssKiB,
    rss_mib: mib(r.rssKiB),
    target_rss_mib: LARGE_RSS_MIB,
    report_bytes: reportBytes,
    findings_listed: listed,
    summary,
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  // The live checks' bench (bench/live.mjs): its own figures, printed after the others.
  if (opts.only === 'live') {
    mkdirSync(OUT_DIR, { recursive: true });
    const { benchLive } = await import('./live.mjs');
    const live = await benchLive();
    writeFileSync(path.join(OUT_DIR, 'live-results.json'), `${JSON.stringify(live, null, 2)}\n`);
    return;
  }
  const doScan = opts.only === null || opts.only === 'scan';
  const doDangling = opts.only === null || opts.only === 'dangling';
  // The large map (issue 10's memory target): in the default run and with --quick, but not when --sizes asks for
  // particular maps (a quick look at small ones), nor in --check unless asked for (YAML.parse of 50 MB is slow).
  const doLarge = opts.only === 'large' || (opts.only === null && !opts.sizesGiven && !opts.check);
  mkdirSync(OUT_DIR, { recursive: true });

  // 1. Generate.
  const maps = doScan ? opts.sizes.map((n) => writeMap(`phi-map-${n}.yaml`, { nodes: n, seed: opts.seed })) : [];
  const danglingMap = doDangling
    ? // A whole map, named as a system's root file: ids no file declares are then each a problem of its own (a
      // file read without its root gets them summed up, as they are most likely declared in files not read).
      writeMap(`dangling-${DANGLING.nodes}-${DANGLING.refs}/phi-map.yaml`, { nodes: DANGLING.nodes, seed: opts.seed, dangling: DANGLING.refs })
    : null;
  const largeMap = doLarge ? writeMap(`phi-map-${LARGE.nodes}.yaml`, { nodes: LARGE.nodes, seed: opts.seed }) : null;

  if (opts.check) {
    let bad = 0;
    for (const m of [...maps, ...(danglingMap ? [danglingMap] : []), ...(largeMap ? [largeMap] : [])]) {
      const doc = YAML.parse(readFileSync(m.file, 'utf8'), { maxAliasCount: -1 });
      const { errors, counts } = checkMap(doc);
      // A dangling map's only errors are its dangling ends (the checker lists at most 50).
      const unexpected = m.dangling.length ? errors.filter((e) => !/^flows\[\d+\]: (from|to) \S+ does not exist$/.test(e)) : errors;
      const missing = m.dangling.length && errors.length < Math.min(50, m.dangling.length);
      console.log(`${rel(m.file)}: ${JSON.stringify(counts)}${m.dangling.length ? ` ${m.dangling.length} dangling flow ends` : ''}`);
      for (const e of unexpected) console.log(`  ERROR ${e}`);
      if (missing) console.log(`  ERROR only ${errors.length} dangling ends found`);
      if (unexpected.length || missing) bad++;
    }
    console.log(bad ? `check: ${bad} map(s) invalid` : 'check: all maps valid');
    process.exit(bad ? 1 : 0);
  }

  // 2. Measure.
  const binRel = process.env.PHI_AUDIT_BIN || JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bin['phi-audit'];
  const bin = path.resolve(ROOT, binRel);
  if (!existsSync(bin)) {
    console.error(`bench: ${bin} does not exist. Run \`npm run build\` first (or \`npm run bench\`), or set PHI_AUDIT_BIN.`);
    process.exit(1);
  }
  gnuTime = await probeGnuTime();
  if (!gnuTime) console.error(`bench: WARNING ${GNU_TIME} (GNU time with -f) not usable; peak RSS will not be measured.`);

  const parseScript = path.join(OUT_DIR, 'parse-only.mjs');
  writeFileSync(parseScript, "import { readFileSync } from 'node:fs';\nimport YAML from 'yaml';\nYAML.parse(readFileSync(process.argv[2], 'utf8'));\n");
  const importScript = path.join(OUT_DIR, 'import-floor.mjs');
  writeFileSync(importScript, `${CLI_DEPS.map((d) => `import '${d}';`).join('\n')}\n`);

  const failures = [];
  const node = process.execPath;
  const loadBefore = os.loadavg();

  // Import floor: once, median of 7 (after one warm-up run).
  const importRuns = [];
  const importN = 7; // cheap, and the 200-node target depends on it: no --quick reduction
  for (let i = 0; doScan && i <= importN; i++) {
    const r = await run([node, importScript]);
    if (r.code !== 0) {
      failures.push(describeFailure('import floor', r));
      break;
    }
    if (i > 0) importRuns.push(r);
  }
  const importFloor = { runs: importRuns.length, ...timings(importRuns) };
  if (doScan) console.error(`import floor: ${fmt(importFloor.median_ms, 1)} ms (median of ${importRuns.length})`);

  const results = [];
  for (const m of maps) {
    const runs = opts.runs ?? (opts.quick ? 1 : m.n <= 1000 ? 5 : m.n <= 10000 ? 3 : 2);
    const scanArgv = [node, bin, 'scan', m.file, '--format', 'json', '--output', '/dev/null', '--fail-on', 'critical'];
    const loadArgv = [node, bin, 'validate', m.file];
    const scans = [];
    const loads = [];
    const parses = [];
    let crashed = false;
    // Interleave scan and parse runs so that machine noise hits both alike.
    for (let i = 0; i < runs && !crashed; i++) {
      const s = await run(scanArgv);
      if (s.code !== 0 && s.code !== 1) {
        failures.push(describeFailure(`scan ${m.n} nodes (${scanArgv.slice(1).map(rel).join(' ')})`, s));
        console.error(`bench: SCAN FAILED\n${failures.at(-1)}`);
        crashed = true;
        break;
      }
      scans.push(s);
      const l = await run(loadArgv);
      if (l.code !== 0) {
        failures.push(describeFailure(`validate ${m.n} nodes (${loadArgv.slice(1).map(rel).join(' ')})`, l));
        console.error(`bench: VALIDATE FAILED\n${failures.at(-1)}`);
        crashed = true;
        break;
      }
      loads.push(l);
      const p = await run([node, parseScript, m.file]);
      if (p.code !== 0) {
        failures.push(describeFailure(`parse-only ${m.n} nodes`, p));
        crashed = true;
        break;
      }
      parses.push(p);
      console.error(
        `  ${fmt(m.n)} nodes run ${i + 1}/${runs}: scan ${fmt(s.ms)} ms ${fmt(mib(s.rssKiB), 0)} MiB (exit ${s.code}), ` +
          `load ${fmt(l.ms)} ms ${fmt(mib(l.rssKiB), 0)} MiB, parse-only ${fmt(p.ms)} ms ${fmt(mib(p.rssKiB), 0)} MiB`,
      );
    }
    const r = {
      nodes: m.n,
      flows: m.flows,
      file: rel(m.file),
      bytes: m.bytes,
      runs,
      crashed,
      scan: {
        ...timings(scans),
        exit_codes: scans.map((x) => x.code),
        max_rss_mib: scans.length && gnuTime ? mib(Math.max(...scans.map((x) => x.rssKiB ?? 0))) : null,
      },
      load: { ...timings(loads), max_rss_mib: loads.length && gnuTime ? mib(Math.max(...loads.map((x) => x.rssKiB ?? 0))) : null },
      parse_only: timings(parses),
    };
    r.ratio_load_parse = r.load.median_ms !== null && r.parse_only.median_ms ? r.load.median_ms / r.parse_only.median_ms : null;
    r.ratio_scan_parse = r.scan.median_ms !== null && r.parse_only.median_ms ? r.scan.median_ms / r.parse_only.median_ms : null;
    r.ratio_scan_import = r.scan.median_ms !== null && importFloor.median_ms ? r.scan.median_ms / importFloor.median_ms : null;
    results.push(r);
  }

  // Validate with dangling references: exit 2 and one diagnostic per dangling end are the expected outcome.
  let dangling = null;
  if (danglingMap) {
    const m = danglingMap;
    const runs = opts.runs ?? (opts.quick ? 1 : 3);
    const argv = [node, bin, 'validate', m.file];
    const validations = [];
    let crashed = false;
    for (let i = 0; i < runs; i++) {
      const v = await run(argv);
      if (v.timedOut || v.signal || ![0, 1, 2].includes(v.code)) {
        failures.push(describeFailure(`validate ${m.n} nodes with ${m.dangling.length} dangling (${argv.slice(1).map(rel).join(' ')})`, v));
        console.error(`bench: VALIDATE FAILED\n${failures.at(-1)}`);
        crashed = true;
        break;
      }
      const counted = countDiagnostics(v.stderr, m.dangling);
      validations.push({ ...v, ...counted });
      console.error(
        `  ${fmt(m.n)} nodes, ${m.dangling.length} dangling, run ${i + 1}/${runs}: validate ${fmt(v.ms)} ms ${fmt(mib(v.rssKiB), 0)} MiB (exit ${v.code}), ${counted.diagnostics} diagnostics, ${counted.hinted} with the expected hint`,
      );
    }
    dangling = {
      nodes: m.n,
      flows: m.flows,
      dangling: m.dangling.length,
      file: rel(m.file),
      bytes: m.bytes,
      runs,
      crashed,
      validate: {
        ...timings(validations),
        exit_codes: validations.map((x) => x.code),
        diagnostics: validations.map((x) => x.diagnostics),
        hinted: validations.map((x) => x.hinted),
      },
    };
  }

  // The large map: once, last, so the machine has settled from the runs above.
  const large = largeMap ? await benchLarge(largeMap, bin, node, failures) : null;

  // 3. Report.
  console.log('');
  console.log(`phi-audit bench — ${rel(bin)}, node ${process.version}, ${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}, ${os.platform()}`);
  if (doScan) {
    const rows = results.map((r) => [
      fmt(r.nodes),
      fmt(r.flows),
      `${fmt(r.bytes / 1e6, 2)} MB`,
      fmt(r.scan.median_ms),
      fmt(r.scan.median_rss_mib),
      fmt(r.load.median_ms),
      fmt(r.load.median_rss_mib),
      fmt(r.parse_only.median_ms),
      fmt(r.parse_only.median_rss_mib),
      fmt(r.ratio_load_parse, 2),
      fmt(r.ratio_scan_parse, 2),
      r.nodes === 200 ? fmt(r.ratio_scan_import, 2) : '—',
      String(r.runs),
    ]);
    console.log(`import floor (${CLI_DEPS.join(', ')}): ${fmt(importFloor.median_ms, 1)} ms median of ${importRuns.length}`);
    console.log('');
    console.log(
      table(rows, [
        'nodes',
        'flows',
        'file',
        'scan ms',
        'scan MiB',
        'load ms',
        'load MiB',
        'parse ms',
        'parse MiB',
        'load/parse',
        'scan/parse',
        'scan/import',
        'runs',
      ]),
    );
  }
  if (dangling) {
    const v = dangling.validate;
    console.log('');
    console.log(
      `validate ${fmt(dangling.nodes)} nodes, ${fmt(dangling.flows)} flows, ${dangling.dangling} dangling flow ends (${fmt(dangling.bytes / 1e6, 2)} MB): ` +
        `${fmt(v.median_ms)} ms, ${fmt(v.median_rss_mib)} MiB median of ${v.ms.length}; exit ${[...new Set(v.exit_codes)].join('/') || '—'}, ` +
        `${[...new Set(v.diagnostics)].join('/') || '—'} diagnostics, ${[...new Set(v.hinted)].join('/') || '—'} with the expected hint`,
    );
  }
  if (large) {
    const s = large.summary;
    console.log('');
    console.log(
      `large map: scan ${fmt(large.nodes)} nodes, ${fmt(large.flows)} flows, ${fmt(large.bytes / 1e6, 2)} MB (${fmt(large.bytes)} bytes), 1 run: ` +
        `${fmt(large.ms)} ms, peak RSS ${fmt(large.rss_mib)} MiB, exit ${large.exit_code ?? large.signal ?? '—'}`,
    );
    console.log(
      large.report_bytes === null
        ? '  no report written'
        : `  ${fmt(large.findings_listed)} findings in the report (summary: ${s ? `${fmt(s.findings)} counted, ${fmt(s.folded)} folded, ${fmt(s.blocking)} blocking at --fail-on ${s.fail_on}` : '—'}); ` +
            `report ${fmt(large.report_bytes / 1e6, 1)} MB, deleted`,
    );
  }
  console.log('');

  const targets = [];
  const bySize = new Map(results.map((r) => [r.nodes, r]));
  const target = (name, n, test) => {
    const r = bySize.get(n);
    let status;
    let detail;
    if (!r) [status, detail] = ['SKIP', `${fmt(n)} nodes not measured`];
    else if (r.crashed) [status, detail] = ['FAIL', 'scan crashed'];
    else [status, detail] = test(r);
    targets.push({ name, nodes: n, status, detail });
  };
  if (doScan) {
    target(`10,000 nodes: load (validate) wall <= ${LOAD_PARSE_RATIO_10K} x parse-only wall`, 10000, (r) => [
      r.ratio_load_parse !== null && r.ratio_load_parse <= LOAD_PARSE_RATIO_10K ? 'PASS' : 'FAIL',
      `${fmt(r.load.median_ms)} ms vs ${fmt(r.parse_only.median_ms)} ms = ${fmt(r.ratio_load_parse, 2)}x; whole scan ${fmt(r.scan.median_ms)} ms = ${fmt(r.ratio_scan_parse, 2)}x`,
    ]);
    target(`50,000 nodes: load (validate) wall <= ${LOAD_MS_50K / 1000} s`, 50000, (r) => [
      r.load.median_ms !== null && r.load.median_ms <= LOAD_MS_50K ? 'PASS' : 'FAIL',
      `median ${fmt(r.load.median_ms)} ms of ${r.load.ms.length} run(s); whole scan ${fmt(r.scan.median_ms)} ms`,
    ]);
    target(`50,000 nodes: load (validate) peak RSS <= ${RSS_MIB_50K} MiB`, 50000, (r) =>
      r.scan.max_rss_mib === null || r.load.max_rss_mib === null
        ? ['SKIP', 'peak RSS not measured (no GNU time)']
        : [
            r.load.max_rss_mib <= RSS_MIB_50K ? 'PASS' : 'FAIL',
            `load max ${fmt(r.load.max_rss_mib)} MiB; whole scan max ${fmt(r.scan.max_rss_mib)} MiB over ${r.scan.ms.length} run(s)`,
          ],
    );
    target(`200 nodes: scan wall <= ${SCAN_IMPORT_RATIO_200} x import floor`, 200, (r) => [
      r.ratio_scan_import !== null && r.ratio_scan_import <= SCAN_IMPORT_RATIO_200 ? 'PASS' : 'FAIL',
      `${fmt(r.scan.median_ms)} ms vs ${fmt(importFloor.median_ms)} ms = ${fmt(r.ratio_scan_import, 2)}x`,
    ]);
  }
  if (dangling) {
    const v = dangling.validate;
    const name = `${fmt(dangling.nodes)} nodes with ${dangling.dangling} dangling references: validate wall <= ${DANGLING_MS / 1000} s, exit 2, ${dangling.dangling} diagnostics`;
    let status;
    let detail;
    if (dangling.crashed) [status, detail] = ['FAIL', 'validate crashed'];
    else {
      const wrong = v.exit_codes.some((c) => c !== 2) || v.diagnostics.some((d) => d !== dangling.dangling);
      status = !wrong && v.median_ms !== null && v.median_ms <= DANGLING_MS ? 'PASS' : 'FAIL';
      detail = `median ${fmt(v.median_ms)} ms of ${v.ms.length} run(s); exit ${[...new Set(v.exit_codes)].join('/')}, ${[...new Set(v.diagnostics)].join('/')} diagnostics`;
    }
    targets.push({ name, nodes: dangling.nodes, status, detail });
  }
  if (large) {
    const name = `${LARGE.label} map (${fmt(large.nodes)} nodes): scan peak RSS <= ${LARGE_RSS_MIB} MiB`;
    let status;
    let detail;
    if (large.failed) [status, detail] = ['FAIL', `scan failed: ${large.failure}`];
    else if (large.rss_mib === null) [status, detail] = ['SKIP', `peak RSS not measured (no GNU time); wall ${fmt(large.ms)} ms`];
    else {
      status = large.rss_mib <= LARGE_RSS_MIB ? 'PASS' : 'FAIL';
      detail = `${fmt(large.rss_mib)} MiB, 1 run; wall ${fmt(large.ms / 1000, 1)} s for information, ${fmt(large.findings_listed)} findings, ${fmt(large.bytes / 1e6, 2)} MB map`;
    }
    targets.push({ name, nodes: large.nodes, status, detail });
  }
  for (const t of targets) console.log(`${t.status.padEnd(4)}  ${t.name}  (${t.detail})`);
  const loadAfter = os.loadavg();
  const busy = Math.max(loadBefore[0], loadAfter[0]) > os.cpus().length;
  if (busy) {
    console.log(
      `\nWARNING: load average ${loadBefore[0].toFixed(1)} -> ${loadAfter[0].toFixed(1)} on ${os.cpus().length} CPUs: other work was running, absolute times are inflated (ratios less so).`,
    );
  }

  const out = {
    generated_at: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: `${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}`,
    total_mem_mib: Math.round(os.totalmem() / 2 ** 20),
    bin: rel(bin),
    seed: opts.seed,
    quick: opts.quick,
    only: opts.only,
    rss_measured: gnuTime,
    load_average: { before: loadBefore, after: loadAfter },
    import_floor: { deps: CLI_DEPS, ...importFloor },
    sizes: results,
    dangling,
    large,
    targets,
    failures,
    live: opts.only === null && !opts.check ? await (await import('./live.mjs')).benchLive() : undefined,
  };
  writeFileSync(path.join(OUT_DIR, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nresults written to ${rel(path.join(OUT_DIR, 'results.json'))}`);

  if (failures.length) {
    console.error('\n!!! BENCH FAILURES: a child process crashed !!!');
    for (const f of failures) console.error(`- ${f}`);
    process.exit(1);
  }
}

await main();
