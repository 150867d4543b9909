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

/** What a live run did, for the report's `live` section (PHI-MAP-1.1 section 6). */
export interface LiveSummary {
  readonly provider: string;
  readonly accounts: readonly { id: string; account_id?: string; regions: readonly string[]; role_arn?: string }[];
  readonly started: string;
  readonly finished: string;
  readonly calls: number;
  /** Facts a live check could not read, each with the reason. */
  readonly unavailable: readonly { subject: string; field: string; error: string }[];
  /** Where the answers came from: the account now, or a saved evidence file. */
  readonly from: 'account' | 'evidence';
}

export interface EnrichResult {
  /** Facts observed, including those that could not be read. */
  readonly observed: number;
  /** Problems with the enricher's own configuration (an account the map names wrongly): reported like map errors. */
  readonly diagnostics?: readonly Diagnostic[];
  /** A live source's run: accounts, times, calls and what could not be read. */
  readonly live?: LiveSummary;
}

export interface Enricher {
  /** Short and stable (`aws`): shown in reports beside the facts it observed. */
  readonly name: string;
  enrich(input: EnrichInput, facts: FactStore): Promise<EnrichResult>;
}
