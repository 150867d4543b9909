#!/usr/bin/env node
/** The CLI: thin commands over the library. Each command's module loads only when that command runs. */
import { writeSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { z } from 'zod';
import { describeFormats, FORMATS } from '../format/registry.js';
import { toolVersion } from '../package.js';
import { errnoText } from '../source/files.js';
import { EXIT } from './exit.js';
import { run } from './run.js';

const SEVERITY_CHOICES = ['critical', 'high', 'medium', 'low', 'info', 'none'];

export function buildProgram(): Command {
  const program = new Command('phi-audit')
    .description('Audit where protected health information goes: PHI map → propagation → HIPAA Security Rule checks.')
    .version(toolVersion(), '-v, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`phi-audit: ${text.replace(/^error: /, '')}`) });

  const collect = (value: string, previous: string[]) => [...previous, value];

  program
    .command('scan')
    .description('check every node, flow and vendor PHI reaches; exit 1 when a finding is at or above --fail-on')
    .argument('[paths...]', 'map files, folders or globs (default: phi-map.yaml and **/*.phi.yaml here)')
    .addOption(new Option('-f, --format <format>', `output format: ${describeFormats()}`).choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the run').choices(SEVERITY_CHOICES).default('high'))
    .option('--as-of <date>', 'the date BAA terms are checked against, YYYY-MM-DD (default: today, UTC)')
    .option('--rules <dir>', 'add a folder of your own rules (repeatable)', collect, [] as string[])
    .option('--no-color', 'plain text output (also under NO_COLOR or when output is not a terminal)')
    .action((paths: string[], opts) => run(async () => (await import('./scan.js')).scanCommand(paths, opts)));

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
