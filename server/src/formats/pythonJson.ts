/**
 * JSON as Python's `json.dump` writes it: `config.json` files saved by transformers may hold the bare tokens
 * `Infinity`, `-Infinity` and `NaN` (Nemotron-H's `time_step_limit: [0.0, Infinity]`), which JSON.parse rejects.
 * Those tokens (outside strings) are read as null, so a real config is not mistaken for a missing one.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const patched = text.replace(/"(?:[^"\\]|\\.)*"|(-?\bInfinity\b|\bNaN\b)/g, (m, token: string | undefined) => (token ? 'null' : m));
    if (patched === text) throw e;
    return JSON.parse(patched);
  }
}
