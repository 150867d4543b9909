import { functionsList, ruleDoc, rulesList, rulesTable } from '../rules/describe.js';
import { loadRules } from '../rules/load.js';
import { InputError, noPosition } from '../source/diagnostics.js';
import { closest } from '../source/suggest.js';
import { EXIT, type ExitCode } from './exit.js';

export async function rulesCommand(
  id: string | undefined,
  flags: { format: 'text' | 'json' | 'markdown'; rules: string[]; functions?: boolean },
): Promise<ExitCode> {
  if (flags.functions) {
    process.stdout.write(functionsList());
    return EXIT.clean;
  }
  const rules = loadRules(flags.rules);
  const selected = id === undefined ? rules : rules.filter((r) => r.id === id);
  if (id !== undefined && selected.length === 0) {
    const hint = closest(
      id,
      rules.map((r) => r.id),
    );
    throw new InputError([noPosition(id, `no rule with this id${hint ? `: did you mean "${hint}"?` : ''} (\`phi-audit rules\` lists them)`)]);
  }
  if (flags.format === 'json') process.stdout.write(`${JSON.stringify(id === undefined ? selected : selected[0], null, 2)}\n`);
  else if (flags.format === 'markdown') process.stdout.write(rulesTable(selected));
  else process.stdout.write(id === undefined ? rulesList(selected) : ruleDoc(selected[0]!));
  return EXIT.clean;
}
