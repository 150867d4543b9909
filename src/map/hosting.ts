/** The `hosting` value: `VENDOR/SERVICE` (aws/s3), `VENDOR` for a SaaS, or `self`. */
export function parseHosting(hosting: string | undefined): { vendor: string; service?: string } | undefined {
  if (hosting === undefined || hosting === 'self') return undefined;
  const slash = hosting.indexOf('/');
  if (slash < 0) return { vendor: hosting };
  return { vendor: hosting.slice(0, slash), service: hosting.slice(slash + 1) };
}
