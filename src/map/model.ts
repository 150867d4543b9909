/** The merged, validated map the rest of the pipeline works on. */
import type { Anchor } from '../source/positions.js';
import { parseHosting } from './hosting.js';

export { parseHosting };

import type { AcceptanceSpec, AccountSpec, FlowSpec, LogSpec, ServiceSpec, StoreSpec, SystemSpec, VendorSpec } from './schema.js';

export type NodeType = 'vendor' | 'service' | 'store' | 'log';
export const SECTION_TYPE = { vendors: 'vendor', services: 'service', stores: 'store', logs: 'log' } as const;

interface NodeOf<T extends NodeType, S> {
  readonly id: string;
  readonly type: T;
  readonly spec: S;
  /** The node's id key in its file. */
  readonly at: Anchor;
}

export type VendorNode = NodeOf<'vendor', VendorSpec>;
export type ServiceNode = NodeOf<'service', ServiceSpec>;
export type StoreNode = NodeOf<'store', StoreSpec>;
export type LogNode = NodeOf<'log', LogSpec>;
export type MapNode = VendorNode | ServiceNode | StoreNode | LogNode;

export interface MapFlow {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly spec: FlowSpec;
  /** The flow's list item in its file. */
  readonly at: Anchor;
}

export interface DataClassInfo {
  readonly id: string;
  readonly phi: boolean;
  readonly description?: string | undefined;
}

export interface EnvironmentInfo {
  readonly id: string;
  readonly phiAllowed: boolean;
  readonly description?: string | undefined;
}

/** `system:` written as a mapping (format 1.1), merged across files, and where it is declared. */
export interface SystemDeclaration {
  readonly spec: SystemSpec;
  /** The `system` key of the file that declares the mapping. */
  readonly at: Anchor;
}

/** An entry of `accounts:` (format 1.1) and where it is declared. */
export interface AccountInfo {
  readonly id: string;
  readonly spec: AccountSpec;
  readonly at: Anchor;
}

export interface PhiMap {
  /** The system's name: `system:` as text, or the mapping's `name`. */
  readonly system?: string | undefined;
  /** The risk analysis and incident response plan, when a file writes `system:` as a mapping. */
  readonly systemInfo?: SystemDeclaration | undefined;
  readonly description?: string | undefined;
  readonly files: readonly string[];
  readonly dataClasses: ReadonlyMap<string, DataClassInfo>;
  readonly environments: ReadonlyMap<string, EnvironmentInfo>;
  /** Every vendor, service, store and log, in file then declaration order. */
  readonly nodes: ReadonlyMap<string, MapNode>;
  readonly flows: readonly MapFlow[];
  /** Cloud accounts for live checks (`accounts:`); absent or empty when the map names none. */
  readonly accounts?: ReadonlyMap<string, AccountInfo> | undefined;
  /** The `accepted:` entries of every file, in file order (triage/accept.ts). */
  readonly accepted?: readonly MapAcceptance[] | undefined;
}

/** One `accepted:` entry and where it is (its list item). */
export interface MapAcceptance {
  readonly spec: AcceptanceSpec;
  readonly at: Anchor;
}

/** The name a `system:` value gives: the text itself, or the mapping's `name`. */
export const systemName = (system: string | SystemSpec | undefined): string | undefined => (typeof system === 'string' ? system : system?.name);

export const BUILTIN_CLASSES: readonly DataClassInfo[] = [
  { id: 'phi', phi: true, description: 'protected health information' },
  { id: 'deidentified', phi: false, description: 'de-identified under 164.514(b); not PHI' },
];

// The structure the graph and the evaluator need, read from the map's format in this one place. Safeguard fields
// are not here: checks read those as facts (src/enrich/facts.ts), which live evidence can verify or contradict.

/** Data classes that originate or rest at the node. */
export const ownData = (node: MapNode): readonly string[] => node.spec.data ?? [];
/** The node's store or log kind, when it has one. */
export const kindOf = (node: MapNode): string | undefined => (node.type === 'store' || node.type === 'log' ? node.spec.kind : undefined);
export const backupOf = (node: MapNode): string | undefined => (node.type === 'vendor' ? undefined : node.spec.backup);
export const hostingOf = (node: MapNode): { vendor: string; service?: string } | undefined =>
  node.type === 'vendor' ? undefined : parseHosting(node.spec.hosting);
/** The node's `hosting` as written (`aws/s3`, a vendor id, `self`). */
export const hostingText = (node: MapNode): string | undefined => (node.type === 'vendor' ? undefined : node.spec.hosting);
export const environmentOf = (node: MapNode): string | undefined => (node.type === 'vendor' ? undefined : node.spec.environment);
export const subprocessorsOf = (node: MapNode): readonly string[] => (node.type === 'vendor' ? (node.spec.subprocessors ?? []) : []);

/** What a flow declares it carries; undefined means everything its source holds. */
export const flowData = (flow: MapFlow): readonly string[] | undefined => flow.spec.data;
/** The flow's de-identification method, written as a word or as `{ method, evidence }`. */
export const deidentifyMethod = (flow: MapFlow): string | undefined => {
  const d = flow.spec.deidentify;
  return typeof d === 'string' ? d : d?.method;
};
/** The flow makes what it carries no longer PHI (a limited data set stays PHI: 164.514(e)). */
export const flowDeidentifies = (flow: MapFlow): boolean => {
  const method = deidentifyMethod(flow);
  return method !== undefined && method !== 'limited-data-set';
};
/** What a flow's de-identification claim points to as its evidence, when it says. */
export const deidentifyEvidence = (flow: MapFlow): string | undefined => {
  const d = flow.spec.deidentify;
  return typeof d === 'object' ? d.evidence : undefined;
};
/** Why a flow says it carries no PHI (`basis:`). */
export const flowBasis = (flow: MapFlow): string | undefined => flow.spec.basis;
/** A vendor's BAA as the map records it. */
export const baaOf = (node: MapNode): { status: string; document?: string | undefined } | undefined => (node.type === 'vendor' ? node.spec.baa : undefined);
export const flowCondition = (flow: MapFlow): 'normal' | 'error' | 'retry' | 'debug' => flow.spec.on ?? 'normal';
/** The account a node lives in: its `account`, or the only account the map declares. */
export const accountOf = (map: PhiMap, node: MapNode): AccountInfo | undefined => {
  if (node.type === 'vendor') return undefined;
  const accounts = map.accounts;
  if (!accounts || accounts.size === 0) return undefined;
  if (node.spec.account !== undefined) return accounts.get(node.spec.account);
  return accounts.size === 1 ? accounts.values().next().value : undefined;
};
/** The node's cloud resource locator (`resource:`): a name or an ARN. */
export const resourceOf = (node: MapNode): string | undefined => (node.type === 'vendor' ? undefined : node.spec.resource);
