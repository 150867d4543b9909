// Types for test/aws/load.mjs (allowJs is off, so tsc reads this file instead).
export declare function loadAwsServer(outDir?: string): Promise<typeof import('./server.js') & typeof import('./scale.js')>;
