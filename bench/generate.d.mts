// Types for bench/generate.mjs (tests import it; allowJs is off, so tsc reads this file instead).

/** The bench's default seed. */
export declare const DEFAULT_SEED: number;

export interface GenerateOptions {
  /** Node count (vendors + services + stores + logs), at least 100; the map has about 3 flows a node. */
  nodes: number;
  /** Default DEFAULT_SEED. The same options give the same bytes. */
  seed?: number;
  /** How many flow ends name an undeclared id, one typo away from a declared one (default 0). */
  dangling?: number;
  /**
   * compact (default, the bench's maps): short nodes on one line in flow style, longer ones in block style;
   * block: no flow collections; flow: every node and flow on one line.
   */
  style?: 'compact' | 'block' | 'flow';
}

/** A flow end that names an undeclared id. */
export interface DanglingRef {
  /** Index in flows:. */
  flow: number;
  end: 'from' | 'to';
  /** The undeclared id written in the map. */
  id: string;
  /** The declared id it is a typo of: the expected "did you mean". */
  near: string;
}

export interface MapStats {
  nodes: number;
  seed: number;
  style: 'compact' | 'block' | 'flow';
  vendors: number;
  services: number;
  stores: number;
  logs: number;
  flows: number;
  /** UTF-8 size of text. */
  bytes: number;
  /** In flow order. */
  dangling: DanglingRef[];
}

export interface GeneratedMap {
  /** The map as one YAML file. */
  text: string;
  stats: MapStats;
}

export declare function generateMap(options: GenerateOptions): GeneratedMap;

export interface MapCheck {
  /** At most 50. */
  errors: string[];
  counts: {
    vendors: number;
    services: number;
    stores: number;
    logs: number;
    flows: number;
    origins: number;
    phiOffEnvs: number;
    cycles: boolean;
  };
}

/** Checks a parsed map without the generator's knowledge: ids, references, at least one cycle and one PHI origin. */
export declare function checkMap(doc: unknown): MapCheck;

/** A small seeded PRNG (mulberry32): numbers in [0, 1), the same for the same seed on every machine. */
export declare function mulberry32(seed: number): () => number;
