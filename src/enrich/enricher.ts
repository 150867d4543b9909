/**
 * The enrich stage's one shape. An enricher is an evidence source outside the map (a cloud account, another
 * scanner's export): given the map and where PHI goes, it observes facts about the subjects PHI reaches. The same
 * rules then judge declared and observed facts alike. A provider is a folder of its own under src/enrich/ whose
 * `createEnricher(clients)` returns one of these, so a test can hand it clients pointed at a local server.
 */
import type { Propagation } from '../graph/propagate.js';
import type { PhiMap } from '../map/model.js';
import type { Diagnostic } from '../source/diagnostics.js';
import type { FactStore } from './facts.js';

export interface EnrichInput {
  readonly map: PhiMap;
  readonly phi: Propagation;
}

export interface EnrichResult {
  /** Facts observed, including those that could not be read. */
  readonly observed: number;
  /** Problems with the enricher's own configuration (an account the map names wrongly): reported like map errors. */
  readonly diagnostics?: readonly Diagnostic[];
}

export interface Enricher {
  /** Short and stable (`aws`): shown in reports beside the facts it observed. */
  readonly name: string;
  enrich(input: EnrichInput, facts: FactStore): Promise<EnrichResult>;
}
