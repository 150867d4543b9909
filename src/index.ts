/** phi-audit as a library: load a PHI map, propagate PHI, evaluate rules, format findings. */
export { scan, scanMap, isBlocking, today, type ScanOptions } from './scan.js';
export { loadMap, validateMapText } from './load/load.js';
export { discoverMapFiles } from './load/discover.js';
export { InputError, formatDiagnostic, type Diagnostic } from './load/diagnostics.js';
export type { PhiMap, MapNode, MapFlow, NodeType } from './load/model.js';
export { propagate, type Propagation } from './graph/propagate.js';
export { loadRules, parseRuleText } from './rules/load.js';
export { FUNCTIONS } from './rules/functions.js';
export type { LoadedRule, RuleSpec, Severity } from './rules/schema.js';
export { SEVERITIES } from './rules/schema.js';
export type { Finding, ScanResult, Summary } from './evaluate/finding.js';
export { FORMATTERS, FORMATS, formatToString, type Format, type Formatter } from './format/index.js';
export { mapJsonSchema } from './schema/json-schema.js';
export { MapFile } from './schema/map.js';
export { TOOL_VERSION } from './version.js';
