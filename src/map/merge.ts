/** Merge validated map files into one map, then check every reference. */
import { type Diagnostic, formatLocation } from '../source/diagnostics.js';
import { issuesToDiagnostics } from '../source/issues.js';
import { anchorOf, locate, type SourceFile, type SourceRef } from '../source/positions.js';
import { type Candidates, closest, prepareCandidates } from '../source/suggest.js';
import {
  type AccountInfo,
  BUILTIN_CLASSES,
  type DataClassInfo,
  type EnvironmentInfo,
  type MapAcceptance,
  type MapFlow,
  type MapNode,
  type PhiMap,
  parseHosting,
  SECTION_TYPE,
  systemName,
} from './model.js';
import { ID_PATTERN, type MapFileSpec, NODE_SECTIONS, SystemInfo, type SystemSpec } from './schema.js';

export interface ValidFile {
  source: SourceFile;
  spec: MapFileSpec;
}

/** An id or name as a message quotes it: whole up to 40 characters, else its first 40 and "…" (a typo may be 30,000). */
function q(text: string): string {
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

function where(ref: SourceRef): string {
  return formatLocation(locate(ref, 'key'));
}

function didYouMean(word: string, candidates: Candidates): string {
  const hint = closest(word, candidates);
  return hint ? ` (did you mean ${q(hint)}?)` : '';
}

// While merging, nodes and flows keep a reference into their parsed file for precise diagnostics; the merged map
// keeps only anchors (see positions.ts), so the syntax trees can be freed.
type Located<T> = T extends unknown ? Omit<T, 'at'> & { ref: SourceRef } : never;
type NodeInProgress = Located<MapNode>;
type FlowInProgress = Located<MapFlow>;

export function mergeFiles(files: readonly ValidFile[]): { map: PhiMap; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (ref: SourceRef, message: string, at: 'key' | 'value' = 'key') => diagnostics.push({ ...locate(ref, at), message });

  const dataClasses = new Map<string, DataClassInfo>(BUILTIN_CLASSES.map((c) => [c.id, c]));
  const classRefs = new Map<string, SourceRef>();
  const environments = new Map<string, EnvironmentInfo>();
  const environmentRefs = new Map<string, SourceRef>();
  const accounts = new Map<string, AccountInfo & { ref: SourceRef }>();
  const nodes = new Map<string, NodeInProgress>();
  const flows: FlowInProgress[] = [];
  const flowIds = new Map<string, SourceRef>();
  let system: { value: string; ref: SourceRef } | undefined;
  // `system:` as a mapping: its parts may come from different files, each part from one.
  let systemInfo: { spec: SystemSpec; ref: SourceRef } | undefined;
  const systemParts = new Map<'risk_analysis' | 'incident_response', SourceRef>();
  let description: string | undefined;
  const accepted: MapAcceptance[] = [];

  const checkId = (id: string, ref: SourceRef, what: string): boolean => {
    if (ID_PATTERN.test(id)) return true;
    report(ref, `${what} id ${q(id)} must be lowercase letters, digits, '.', '_' or '-', starting with a letter or digit`);
    return false;
  };

  for (const { source, spec } of files) {
    // `system:` as a mapping is checked here, against its own schema, so each problem is reported at its key.
    let info: SystemSpec | undefined;
    if (typeof spec.system === 'object') {
      const parsed = SystemInfo.safeParse(spec.system);
      if (parsed.success) info = parsed.data;
      else diagnostics.push(...issuesToDiagnostics(source, SystemInfo, spec.system, parsed.error.issues, ['system']));
    }
    const name = systemName(typeof spec.system === 'string' ? spec.system : info);
    if (name !== undefined) {
      const ref = { source, path: typeof spec.system === 'string' ? ['system'] : ['system', 'name'] };
      if (system && system.value !== name) {
        report(ref, `system is ${q(name)} here but ${q(system.value)} at ${where(system.ref)}: one map describes one system`, 'value');
      } else system ??= { value: name, ref };
    }
    if (info) {
      systemInfo ??= { spec: {}, ref: { source, path: ['system'] } };
      for (const part of ['risk_analysis', 'incident_response'] as const) {
        const value = info[part];
        if (value === undefined) continue;
        const ref = { source, path: ['system', part] };
        const prev = systemParts.get(part);
        if (prev) report(ref, `system.${part} is declared twice: also at ${where(prev)} (declare it in one file)`);
        else {
          systemParts.set(part, ref);
          (systemInfo.spec as Record<string, unknown>)[part] = value;
        }
      }
    }
    description ??= spec.description;

    for (const [id, dc] of Object.entries(spec.data_classes ?? {})) {
      const ref = { source, path: ['data_classes', id] };
      if (!checkId(id, ref, 'data class')) continue;
      if (BUILTIN_CLASSES.some((b) => b.id === id)) {
        report(ref, `data class ${q(id)} is built in and cannot be redeclared`);
        continue;
      }
      const prev = classRefs.get(id);
      if (prev) {
        report(ref, `data class ${q(id)} is declared twice: also at ${where(prev)}`);
        continue;
      }
      classRefs.set(id, ref);
      dataClasses.set(id, { id, phi: dc.phi, description: dc.description });
    }

    for (const [id, env] of Object.entries(spec.environments ?? {})) {
      const ref = { source, path: ['environments', id] };
      if (!checkId(id, ref, 'environment')) continue;
      const prev = environmentRefs.get(id);
      if (prev) {
        report(ref, `environment ${q(id)} is declared twice: also at ${where(prev)}`);
        continue;
      }
      environmentRefs.set(id, ref);
      environments.set(id, { id, phiAllowed: env.phi_allowed, description: env.description });
    }

    for (const [id, account] of Object.entries(spec.accounts ?? {})) {
      const ref = { source, path: ['accounts', id] };
      if (!checkId(id, ref, 'account')) continue;
      const prev = accounts.get(id);
      if (prev) report(ref, `account ${q(id)} is declared twice: also at ${where(prev.ref)}`);
      else accounts.set(id, { id, spec: account, at: anchorOf(ref, 'key'), ref });
    }

    for (const section of NODE_SECTIONS) {
      for (const [id, nodeSpec] of Object.entries(spec[section] ?? {})) {
        const ref = { source, path: [section, id] };
        if (!checkId(id, ref, 'node')) continue;
        const prev = nodes.get(id);
        if (prev) {
          report(ref, `duplicate id ${q(id)}: also declared at ${where(prev.ref)} (ids are one namespace across vendors, services, stores and logs)`);
          continue;
        }
        nodes.set(id, { id, type: SECTION_TYPE[section], spec: nodeSpec, ref } as NodeInProgress);
      }
    }

    (spec.flows ?? []).forEach((flow, index) => {
      const ref = { source, path: ['flows', index] };
      let id = `${flow.from}->${flow.to}`;
      if (flow.id !== undefined) {
        if (!checkId(flow.id, { source, path: ['flows', index, 'id'] }, 'flow')) return;
        id = flow.id;
      }
      const prev = flowIds.get(id);
      if (prev) {
        const fix = flow.id === undefined ? `: give one of them an \`id:\` so findings can tell them apart` : '';
        report(
          flow.id === undefined ? ref : { source, path: ['flows', index, 'id'] },
          `flow ${q(id)} is declared twice, also at ${where(prev)}${fix}`,
          'value',
        );
        return;
      }
      flowIds.set(id, ref);
      flows.push({ id, from: flow.from, to: flow.to, spec: flow, ref });
    });

    (spec.accepted ?? []).forEach((entry, index) => {
      accepted.push({ spec: entry, at: anchorOf({ source, path: ['accepted', index] }, 'value') });
    });
  }

  // A flow's own id must not name a node, or a finding's target would be ambiguous.
  for (const flow of flows) {
    if (flow.spec.id !== undefined && nodes.has(flow.id)) {
      report({ source: flow.ref.source, path: [...flow.ref.path, 'id'] }, `flow id ${q(flow.id)} is also a node id: give the flow an id of its own`, 'value');
    }
  }

  // References, now that every file's ids are known.
  // "Did you mean" candidates, prepared once per kind rather than once per error: a map can have hundreds of typos.
  const idLists = new Map<MapNode['type'] | 'node' | 'class' | 'environment', Candidates>();
  const idsOf = (kind: MapNode['type'] | 'node' | 'class' | 'environment'): Candidates => {
    let ids = idLists.get(kind);
    if (!ids) {
      if (kind === 'class') ids = prepareCandidates([...dataClasses.keys()]);
      else if (kind === 'environment') ids = prepareCandidates([...environments.keys()]);
      else ids = prepareCandidates([...nodes.values()].filter((n) => kind === 'node' || n.type === kind).map((n) => n.id));
      idLists.set(kind, ids);
    }
    return ids;
  };
  const checkClasses = (classes: readonly string[] | undefined, ref: SourceRef) => {
    (classes ?? []).forEach((c, i) => {
      if (!dataClasses.has(c)) {
        report(
          { source: ref.source, path: [...ref.path, i] },
          `unknown data class ${q(c)}${didYouMean(c, idsOf('class'))}: declare it under data_classes: with phi: true or false`,
          'value',
        );
      }
    });
  };
  const checkNodeRef = (owner: NodeInProgress, field: 'audit_log' | 'backup', want: MapNode['type'], section: string) => {
    const target = (owner.spec as { audit_log?: string; backup?: string })[field];
    if (target === undefined) return;
    const ref = { source: owner.ref.source, path: [...owner.ref.path, field] };
    const node = nodes.get(target);
    if (!node) report(ref, `${field} names ${q(target)}, which is not declared under ${section}:${didYouMean(target, idsOf(want))}`, 'value');
    else if (node.type !== want) report(ref, `${field} must name a node under ${section}:, but ${q(target)} is a ${node.type}`, 'value');
    else if (target === owner.id) report(ref, `${field} of ${q(owner.id)} names the node itself`, 'value');
  };

  for (const node of nodes.values()) {
    const at = (field: string) => ({ source: node.ref.source, path: [...node.ref.path, field] });
    checkClasses(node.spec.data, at('data'));
    if (node.type === 'vendor') {
      (node.spec.subprocessors ?? []).forEach((sub, i) => {
        const ref = { source: node.ref.source, path: [...node.ref.path, 'subprocessors', i] };
        const target = nodes.get(sub);
        if (!target) report(ref, `subprocessor ${q(sub)} is not declared under vendors:${didYouMean(sub, idsOf('vendor'))}`, 'value');
        else if (target.type !== 'vendor') report(ref, `subprocessor ${q(sub)} must be a vendor, but it is a ${target.type}`, 'value');
        else if (sub === node.id) report(ref, `vendor ${q(node.id)} names itself as its own subprocessor`, 'value');
      });
      continue;
    }
    const spec = node.spec;
    if (spec.environment !== undefined && !environments.has(spec.environment)) {
      report(
        at('environment'),
        `environment ${q(spec.environment)} is not declared under environments:${didYouMean(spec.environment, idsOf('environment'))}`,
        'value',
      );
    }
    const hosting = parseHosting(spec.hosting);
    if (hosting) {
      const vendor = nodes.get(hosting.vendor);
      if (!vendor) {
        report(
          at('hosting'),
          `hosting names vendor ${q(hosting.vendor)}, which is not declared under vendors:${didYouMean(hosting.vendor, idsOf('vendor'))}; declare it with its BAA, or write hosting: self`,
          'value',
        );
      } else if (vendor.type !== 'vendor') {
        report(at('hosting'), `hosting must name a vendor, but ${q(hosting.vendor)} is a ${vendor.type}`, 'value');
      } else if (hosting.service === '') {
        report(at('hosting'), `hosting ${q(spec.hosting ?? '')} has no service after the slash: write VENDOR/SERVICE (aws/s3) or VENDOR`, 'value');
      }
    }
    if (spec.account !== undefined && !accounts.has(spec.account)) {
      const known = accounts.size === 0 ? 'the map declares no accounts:' : `declared accounts: ${[...accounts.keys()].join(', ')}`;
      report(
        at('account'),
        `account ${q(spec.account)} is not declared under accounts:${didYouMean(spec.account, prepareCandidates([...accounts.keys()]))} (${known})`,
        'value',
      );
    } else if (spec.account === undefined && spec.resource !== undefined && accounts.size > 1) {
      report(
        at('resource'),
        `${q(node.id)} names a resource but no account, and the map declares ${accounts.size}: add account: (one of ${[...accounts.keys()].join(', ')})`,
      );
    }
    checkNodeRef(node, 'audit_log', 'log', 'logs');
    checkNodeRef(node, 'backup', 'store', 'stores');
    if (node.type === 'store' && node.spec.managed !== undefined && node.spec.kind !== 'device') {
      report(at('managed'), `managed applies only to kind: device stores; ${q(node.id)} is ${node.spec.kind ? `kind: ${node.spec.kind}` : 'of no kind'}`);
    }
    if (node.type === 'log' && node.spec.review !== undefined && node.spec.kind !== 'audit') {
      report(at('review'), `review applies only to kind: audit logs; ${q(node.id)} is ${node.spec.kind ? `kind: ${node.spec.kind}` : 'of no kind'}`);
    }
  }

  // The risk analysis names the nodes it covers.
  const scopeRef = systemParts.get('risk_analysis');
  if (scopeRef) {
    (systemInfo?.spec.risk_analysis?.scope ?? []).forEach((id, i) => {
      if (!nodes.has(id)) {
        report(
          { source: scopeRef.source, path: [...scopeRef.path, 'scope', i] },
          `risk_analysis.scope names ${q(id)}, which is not a declared vendor, service, store or log${didYouMean(id, idsOf('node'))}`,
          'value',
        );
      }
    });
  }

  for (const flow of flows) {
    const at = (field: string) => ({ source: flow.ref.source, path: [...flow.ref.path, field] });
    for (const end of ['from', 'to'] as const) {
      const id = flow[end];
      if (!nodes.has(id)) {
        report(at(end), `flow ${end} ${q(id)} is not a declared vendor, service, store or log${didYouMean(id, idsOf('node'))}`, 'value');
      }
    }
    if (flow.from === flow.to) report(at('to'), `flow from ${q(flow.from)} to itself: a flow joins two different nodes`, 'value');
    checkClasses(flow.spec.data, at('data'));
  }

  const finalNodes = new Map<string, MapNode>();
  // Built field by field, one shape for every node and one for every flow: later stages read them in hot loops.
  for (const n of nodes.values()) finalNodes.set(n.id, { id: n.id, type: n.type, spec: n.spec, at: anchorOf(n.ref, 'key') } as MapNode);
  const finalFlows: MapFlow[] = flows.map((f) => ({ id: f.id, from: f.from, to: f.to, spec: f.spec, at: anchorOf(f.ref, 'value') }));
  return {
    map: {
      system: system?.value,
      systemInfo: systemInfo && { spec: { ...(system ? { name: system.value } : {}), ...systemInfo.spec }, at: anchorOf(systemInfo.ref, 'key') },
      description,
      files: files.map((f) => f.source.path),
      dataClasses,
      environments,
      nodes: finalNodes,
      flows: finalFlows,
      ...(accounts.size > 0 ? { accounts: new Map([...accounts].map(([id, a]) => [id, { id, spec: a.spec, at: a.at }])) } : {}),
      ...(accepted.length > 0 ? { accepted } : {}),
    },
    diagnostics,
  };
}
