/** "Did you mean …?" for keys, flags and model ids: the nearest candidate by edit distance, if it is a near miss. */

/** Levenshtein distance, one row at a time (inputs are short: keys, flags, Hub ids). */
function distance(a: string, b: string, row: Int32Array): number {
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(up + 1, row[j - 1] + 1, diag + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

export function didYouMean(key: string, candidates: readonly string[]): string | undefined {
  // Suggest only near-misses of real length (a one-letter key is not a typo of `-q`).
  const limit = Math.max(2, Math.floor(key.length / 5));
  if (key.length < 4) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  let row = new Int32Array(64);
  for (const c of candidates) {
    // The distance is at least the length difference: such candidates could never be suggested (keeps 300+ ids fast).
    if (Math.abs(c.length - key.length) > limit) continue;
    if (row.length <= c.length) row = new Int32Array(c.length + 1);
    const dd = distance(key, c, row);
    if (dd < bestD) {
      bestD = dd;
      best = c;
    }
  }
  return best !== undefined && bestD <= limit && bestD < key.length / 2 ? best : undefined;
}
