/**
 * The enrichers a scan can run, by name. Empty until a provider lands (see src/enrich/README.md for the template):
 * a scan with no enricher judges the map's declared facts alone.
 */
import type { Enricher } from './enricher.js';

export interface EnricherFactory {
  readonly name: string;
  readonly description: string;
  create(): Promise<Enricher>;
}

export const ENRICHERS: readonly EnricherFactory[] = [];
