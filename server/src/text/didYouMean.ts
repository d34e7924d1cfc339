/** "Did you mean …?" for keys, flags and model ids: the nearest candidate by edit distance, if it is a near miss. */

/** Levenshtein distance (inputs are short: keys, flags, Hub ids). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

export function didYouMean(key: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = distance(key, c);
    if (dd < bestD) {
      bestD = dd;
      best = c;
    }
  }
  // Suggest only near-misses of real length (a one-letter key is not a typo of `-q`).
  return best !== undefined && key.length >= 4 && bestD <= Math.max(2, Math.floor(key.length / 5)) && bestD < key.length / 2 ? best : undefined;
}
