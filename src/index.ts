/** phi-audit as a library: load a PHI map, propagate PHI, evaluate rules, format findings. */
export { scan, scanMap, isBlocking, today, type ScanOptions } from './audit.js';
export { loadMap, validateMapText } from './map/load.js';
export { discoverMapFiles } from './map/discover.js';
export { InputError, formatDiagnostic, type Diagnostic } from './source/diagnostics.js';
export type { PhiMap, MapNode, MapFlow, NodeType } from './map/model.js';
export { propagate, type Propagation } from './graph/propagate.js';
export { loadRules, parseRuleText } from './rules/load.js';
export { FUNCTIONS } from './rules/functions.js';
export type { LoadedRule, RuleSpec, Severity } from './rules/schema.js';
export { SEVERITIES } from './rules/schema.js';
export type { Finding, ScanResult, Summary } from './evaluate/finding.js';
export { FORMATTERS, FORMATS, formatToString, type Format, type Formatter } from './format/index.js';
export { mapJsonSchema } from './map/json-schema.js';
export { MapFile } from './map/schema.js';
export { TOOL_VERSION } from './version.js';
