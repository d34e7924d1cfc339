/** Loads a user's GPU catalog overrides (JSON validated against schemas/gpus.schema.json with ajv). Node only. */
import * as fs from 'node:fs';
import { GpuCatalog, GpuSpec } from '../catalog/gpus';
import { gpus as validate } from '../schemas/validators.generated';

export interface GpuOverrides {
  catalog: GpuCatalog;
  problems: string[];
}

export function loadGpuOverrides(file: string, base = new GpuCatalog()): GpuOverrides {
  let data: unknown;
  try {
    const st = fs.statSync(file);
    if (st.size > 1024 * 1024) return { catalog: base, problems: [`${file}: larger than 1 MiB, ignored`] };
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { catalog: base, problems: [`${file}: ${(e as Error).message}`] };
  }
  if (!validate(data)) {
    return { catalog: base, problems: (validate.errors ?? []).map((err) => `${file}${err.instancePath || ''}: ${err.message}`) };
  }
  return { catalog: base.withOverrides(data as Array<Partial<GpuSpec> & { id: string }>), problems: [] };
}
