import type { Formatter } from './index.js';

/** PHI-MAP.md "Findings, as machines read them". */
export const formatJson: Formatter = (result) => `${JSON.stringify(result, null, 2)}\n`;
