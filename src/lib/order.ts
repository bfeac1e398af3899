// Strings in code-unit order (what `<` compares), not a language's: for ids, keys and signatures.
export const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
