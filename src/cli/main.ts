#!/usr/bin/env node
/** The CLI: thin commands over the library. Each command's module loads only when that command runs. */
import { writeSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { z } from 'zod';
import { describeFormats } from '../format/registry.js';
import { toolVersion } from '../package.js';
import { errnoText } from '../source/files.js';
import { EXIT } from './exit.js';
import { PROGRAM_HELP, SCAN_HELP } from './help.js';
import { run } from './run.js';
import type { ScanFlags } from './scan.js';

const SEVERITY_CHOICES = ['critical', 'high', 'medium', 'low', 'info', 'none'];
const SEVERITIES = SEVERITY_CHOICES.filter((s) => s !== 'none');
const CONFIG_FILE_NAME = '.phi-audit.yaml';

/**
 * The scan flags as given on the command line: a flag left at its default is undefined, so the config file
 * (cli/config.ts) can fill it. `--config FILE` / `--no-config` become `config: FILE | false`.
 */
function scanFlags(opts: Record<string, unknown>, source: (name: string) => string | undefined): ScanFlags {
  const given = (name: string) => (source(name) === 'cli' ? opts[name] : undefined);
  const list = (name: string) => ((opts[name] as string[] | undefined)?.length ? (opts[name] as string[]) : undefined);
  return {
    format: list('format'),
    output: given('output') as string | undefined,
    failOn: given('failOn') as ScanFlags['failOn'],
    asOf: given('asOf') as string | undefined,
    rules: list('rules'),
    baseline: given('baseline') as string | undefined,
    writeBaseline: given('writeBaseline') as string | undefined,
    minSeverity: given('minSeverity') as ScanFlags['minSeverity'],
    compact: given('compact') as boolean | undefined,
    quiet: given('quiet') as boolean | undefined,
    color: given('color') as boolean | undefined,
    sarifCategory: given('sarifCategory') as string | undefined,
    config: source('config') === 'cli' ? (opts.config as string | false) : undefined,
    showConfig: opts.showConfig === true,
    // Live checks (--aws and friends) are command-line only: a config file never makes a scan reach an account.
    aws: opts.aws === true ? true : undefined,
    profile: opts.profile as string | undefined,
    region: opts.region as string | undefined,
    concurrency: opts.concurrency as string | undefined,
    callTimeout: opts.callTimeout as string | undefined,
    saveEvidence: opts.saveEvidence as string | undefined,
    evidence: opts.evidence as string | undefined,
  };
}

export function buildProgram(): Command {
  const program = new Command('phi-audit')
    .description('Audit where protected health information goes: PHI map → propagation → HIPAA Security Rule checks.')
    .version(toolVersion(), '-v, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`phi-audit: ${text.replace(/^error: /, '')}`) });

  const collect = (value: string, previous: string[]) => [...previous, value];
  // Repeatable with no default shown: undefined until given, so the config file can fill it.
  const collectFrom = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

  program
    .command('scan')
    .description('check every node, flow and vendor PHI reaches; exit 1 when a finding is at or above --fail-on')
    .argument('[paths...]', 'map files, folders or globs (default: phi-map.yaml and **/*.phi.yaml here)')
    .option(
      '-f, --format <format[=file]>',
      `output format, to standard output or =FILE (repeatable, at most one to standard output; default text): ${describeFormats()}`,
      collectFrom,
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout (the one format without =FILE)')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the run (default: high)').choices(SEVERITY_CHOICES))
    .option('--as-of <date>', 'the date BAA terms are checked against, YYYY-MM-DD (default: today, UTC)')
    .option('--rules <dir>', 'add a folder of your own rules (repeatable)', collectFrom)
    .option('--baseline <file>', 'a baseline file: findings it records are marked existing and only new ones fail the run')
    .option('--write-baseline <file>', "record this run's findings as a baseline file")
    .addOption(
      new Option('--min-severity <severity>', 'show only findings at or above this severity (the exit code still follows --fail-on)').choices(SEVERITIES),
    )
    .option('--compact', "text: each rule's remediation once, after the findings")
    .option('-q, --quiet', 'text: only the summary lines; no notices on stderr (problems are still printed)')
    .option('--config <file>', `settings file (default: ${CONFIG_FILE_NAME} beside the map, or here)`)
    .option('--no-config', `read no ${CONFIG_FILE_NAME}`)
    .option('--show-config', 'print the effective settings and where each came from, then exit')
    .option('--no-color', 'plain text output (also under NO_COLOR or when output is not a terminal)')
    .option('--aws', 'live checks: read the AWS accounts the map names (credentials from the SDK default chain)')
    .option('--profile <name>', 'with --aws: the AWS profile to start from (accounts may name their own)')
    .option('--region <region>', 'with --aws: the region for accounts that list none (default: AWS_REGION, else us-east-1)')
    .option('--concurrency <n>', 'with --aws: AWS requests in flight at most (default 32)')
    .option('--call-timeout <seconds>', 'with --aws: give up on one AWS call after this long, retries included (default 30)')
    .option('--save-evidence <file>', 'with --aws: save what the accounts answered (no credentials), to judge again with --evidence')
    .option('--evidence <file>', 'judge the answers saved by --save-evidence, offline, instead of reading the accounts')
    .option('--sarif-category <category>', "SARIF: set runs[].automationDetails.id (default none, so the upload action's category: applies)")
    .addHelpText('after', SCAN_HELP)
    .action((paths: string[], opts: Record<string, unknown>, cmd: Command) =>
      run(async () =>
        (await import('./scan.js')).scanCommand(
          paths,
          scanFlags(opts, (name) => cmd.getOptionValueSource(name)),
        ),
      ),
    );

  program
    .command('iam-policy')
    .description('print the read-only IAM policy the live checks (scan --aws) need: exactly the calls they make')
    .option('--explain', 'list each permission with what it is for, instead of the policy')
    .option('--discover', 'include what discover --aws needs')
    .action((opts) => run(async () => (await import('./iam-policy.js')).iamPolicyCommand(opts)));

  program
    .command('discover')
    .description('list the AWS resources the map does not mention, as a YAML snippet to paste and complete')
    .argument('[paths...]', 'map files, folders or globs (default: phi-map.yaml and **/*.phi.yaml here)')
    .option('--aws', 'read the AWS accounts the map names (required: the only provider so far)')
    .option('--profile <name>', 'the AWS profile to start from')
    .option('--region <region>', 'the region for accounts that list none (default: AWS_REGION, else us-east-1)')
    .option('--concurrency <n>', 'AWS requests in flight at most (default 32)')
    .option('--call-timeout <seconds>', 'give up on one AWS call after this long (default 30)')
    .action((paths: string[], opts) => run(async () => (await import('./discover.js')).discoverCommand(paths, opts)));

  program
    .command('validate')
    .description('check the map against the schema and its references; no rules run')
    .argument('[paths...]', 'map files, folders or globs')
    .action((paths: string[]) => run(async () => (await import('./validate.js')).validateCommand(paths)));

  program
    .command('rules')
    .description("list the rules, or show one rule's full documentation")
    .argument('[id]', 'a rule id')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--rules <dir>', 'include a folder of your own rules (repeatable)', collect, [] as string[])
    .option('--functions', 'list the check functions rules are built from')
    .action((id: string | undefined, opts) => run(async () => (await import('./rules.js')).rulesCommand(id, opts)));

  program
    .command('catalog')
    .description('show what the bundled catalogs know: cloud providers and their HIPAA-eligible services, vendors and their BAA terms')
    .argument('[name]', 'a provider (aws, gcp, azure) or a vendor (slack, openai, ...)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((name: string | undefined, opts) => run(async () => (await import('./catalog.js')).catalogCommand(name, opts)));

  program
    .command('init')
    .description('write a commented starter map (never over an existing file)')
    .argument('[file]', 'where to write it', 'phi-map.yaml')
    .option('-t, --template <name>', 'start from a realistic map that scans clean: llm-app, ml-training or ehr-integration')
    .action((file: string, opts) => run(async () => (await import('./init.js')).initCommand(file, opts)));

  program
    .command('draft')
    .description('draft a commented map from a Terraform plan or a CloudFormation template; --update merges into a map you have edited')
    .argument('<file>', 'the JSON of `terraform show -json`, or a CloudFormation template (YAML or JSON)')
    .addOption(new Option('--from <source>', 'what the file is').choices(['terraform', 'cloudformation']).makeOptionMandatory())
    .option('-o, --output <file>', 'write the draft to a new file instead of stdout (never over an existing file)')
    .option('--update <map>', 'merge into this map: keeps what you added, updates what came from the infrastructure')
    .option('--diff', 'with --update: print the changes as a unified diff')
    .option('--write', 'with --update: save the result to that map (temporary file, then rename)')
    .action((file: string, opts) => run(async () => (await import('./draft.js')).draftCommand(file, opts)));

  program
    .command('explain')
    .description('explain one finding: the rule and its citations, the PHI path hop by hop, the facts read, and the smallest change that clears it')
    .argument('<finding-id>', 'a finding id, RULE@TARGET, as scan prints it')
    .argument('[paths...]', 'map files, folders or globs (as for scan)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--as-of <date>', 'the date BAA terms are checked against, YYYY-MM-DD (default: today, UTC)')
    .option('--rules <dir>', 'add a folder of your own rules (repeatable)', collect, [] as string[])
    .action((id: string, paths: string[], opts) => run(async () => (await import('./explain.js')).explainCommand(id, paths, opts)));

  program
    .command('schema')
    .description('print the JSON Schema of the map, for editor completion')
    .option('-o, --output <file>', 'write it to a file instead of stdout')
    .action((opts) => run(async () => (await import('./schema.js')).schemaCommand(opts)));

  program
    .command('report')
    .description('write the gap report: summary, safeguard matrix, BAA register, PHI inventory, data-flow diagram, findings')
    .argument('[paths...]', 'map files, folders or globs (default: phi-map.yaml and **/*.phi.yaml here)')
    .addOption(new Option('-f, --format <format>', 'html (one self-contained file) or markdown (compact)').choices(['html', 'markdown']).default('html'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that blocks (and fails the run)').choices(SEVERITY_CHOICES).default('high'))
    .option('--as-of <date>', 'the date BAA terms are checked against, YYYY-MM-DD (default: today, UTC)')
    .option('--rules <dir>', 'add a folder of your own rules (repeatable)', collect, [] as string[])
    .option('--baseline <file>', 'a baseline file (scan --write-baseline): the report shows what is new, existing and fixed')
    .action((paths: string[], opts) => run(async () => (await import('./report.js')).reportCommand(paths, opts)));

  program
    .command('graph')
    .description('draw the data-flow diagram: nodes by environment, PHI and failure paths marked')
    .argument('[paths...]', 'map files, folders or globs (default: phi-map.yaml and **/*.phi.yaml here)')
    .addOption(new Option('-f, --format <format>', 'svg (laid out by Graphviz), dot or mermaid').choices(['svg', 'dot', 'mermaid']).default('svg'))
    .option('-o, --output <file>', 'write the diagram to a file instead of stdout')
    .option('--only-phi', 'only nodes that hold PHI and the flows that carry it')
    .option('--to <node>', 'only the paths into this node')
    .addOption(new Option('--fail-on <severity>', 'lowest severity marked as blocking').choices(SEVERITY_CHOICES).default('high'))
    .option('--as-of <date>', 'the date BAA terms are checked against, YYYY-MM-DD (default: today, UTC)')
    .option('--rules <dir>', 'add a folder of your own rules (repeatable)', collect, [] as string[])
    .action((paths: string[], opts) => run(async () => (await import('./graph.js')).graphCommand(paths, opts)));

  program.addHelpText('after', PROGRAM_HELP);
  return program;
}

// A CLI run validates each schema a few times: compiling zod's fast paths costs more than it saves.
z.config({ jitless: true });

// A reader that stops early (`phi-audit scan | head`) closes the pipe: stop writing, quietly, with the run's exit code.
// Any other failure to write (stdout to /dev/full, a full disk) is exit 2 with one line on stderr, never a stack trace:
// exit 1 would read as "findings" to CI. With stderr itself broken there is nowhere to say it.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) {
      try {
        writeSync(2, `phi-audit: cannot write to standard output: ${errnoText(err)}\n`);
      } catch {
        // stderr is gone too
      }
    }
    process.exit(EXIT.input);
  });
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help asked for (`--help`, `help`) and `--version` are not errors. Every usage error is exit 2, like a broken
      // map; that includes no command at all, where commander prints the usage to stderr with a non-zero code.
      const asked = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || (err.code === 'commander.help' && err.exitCode === 0);
      process.exitCode = asked ? EXIT.clean : EXIT.input;
      return;
    }
    await run(() => Promise.reject(err)); // our bug: exit 3, as from a command
  }
}

await main(process.argv);
