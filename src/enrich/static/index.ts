/**
 * An evidence source of observations given up front: facts another tool exported, or a test's fixture. It is also
 * the smallest complete enricher, and the template a provider folder follows (see src/enrich/README.md).
 */
import type { Enricher } from '../enricher.js';
import type { Observation } from '../facts.js';

export function createEnricher(observations: readonly Observation[], name = 'static'): Enricher {
  return {
    name,
    async enrich({ map }, facts) {
      const flows = new Set(map.flows.map((f) => f.id));
      let observed = 0;
      for (const o of observations) {
        // Facts about what the map does not describe have nothing to check: they are left out, not guessed at.
        if (!map.nodes.has(o.subject) && !flows.has(o.subject)) continue;
        facts.observe(o);
        observed++;
      }
      return { observed };
    },
  };
}
