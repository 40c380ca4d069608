/** The reference tags of CVE JSON 5 (and the CNA tool's YAML): what a reference link is. */
export const REFERENCE_TAGS = [
  'exploit', 'mailing-list', 'advisory', 'vendor-advisory', 'article', 'misc', 'patch', 'related',
  'issue-tracking', 'release-notes', 'technical-description', 'mitigation', 'third-party-advisory', 'vdb-entry',
] as const;
export type ReferenceTag = (typeof REFERENCE_TAGS)[number];
