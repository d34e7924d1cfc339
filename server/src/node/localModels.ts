/** Reads a local model folder's config.json (and ModelOpt's hf_quant_config.json) — Node only, used by the CLI and the server. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePythonJson } from '../formats/pythonJson';
import type { LocalModel } from '../formats/types';

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_CONFIG_BYTES) return undefined;
    const v = parsePythonJson(fs.readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A loader for LoRA adapter folders written relative to `baseDir`: their adapter_config.json (PEFT's `r`, `target_modules`). */
export function localAdapterLoader(baseDir: string): (ref: string) => Record<string, unknown> | undefined {
  return (ref) => readJson(path.join(path.resolve(baseDir, ref.replace(/^~(?=\/)/, process.env.HOME ?? '~')), 'adapter_config.json'));
}

/** A loader for model refs written relative to `baseDir` (the file that names them). */
export function localModelLoader(baseDir: string): (ref: string) => LocalModel | undefined {
  return (ref) => {
    const dir = path.resolve(baseDir, ref.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
    const config = readJson(path.join(dir, 'config.json'));
    return config ? { config, hfQuantConfig: readJson(path.join(dir, 'hf_quant_config.json')) } : undefined;
  };
}
