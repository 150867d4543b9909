/**
 * The categories of the bundled vendor catalog (rules/catalog/vendors.yaml). A closed list: the catalog's entries and
 * a rule's `catalog-category` check are both checked against it, so a misspelled category is an error where it is
 * written rather than a rule that silently never matches.
 */
export const VENDOR_CATEGORIES = [
  'analytics',
  'collaboration',
  'data-platform',
  'email',
  'error-tracking',
  'llm-api',
  'messaging',
  'ml-platform',
  'observability',
  'support',
  'vector-database',
  'video',
] as const;

export type VendorCategory = (typeof VENDOR_CATEGORIES)[number];
