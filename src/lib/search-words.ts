// Full-text search from what a person typed, on PostgreSQL's 'simple' configuration (no stemming,
// so names and any language match as written). Shared by every list that searches.

const MAX_WORDS = 8;

// Search words as the database indexed them: letters and digits only (the 'simple' parser splits on
// everything else), lower case, at most a few. Nothing the person typed reaches to_tsquery.
export function searchWords(q: string): string[] {
  const words = q.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.slice(0, 60)))].slice(0, MAX_WORDS);
}

// "ali smi" → "ali:* & smi:*": every word must match the start of some indexed word.
export function prefixTsquery(words: string[]): string | null {
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}
