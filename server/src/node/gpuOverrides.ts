/** Loads a user's GPU catalog overrides (JSON validated against schemas/gpus.schema.json with ajv). Node only. */
import Ajv from 'ajv';
import * as fs from 'node:fs';
import { GpuCatalog, GpuSpec } from '../catalog/gpus';
import schema from '../../../schemas/gpus.schema.json';

const validate = new Ajv({ allErrors: true }).compile<Array<Partial<GpuSpec> & { id: string }>>(schema);

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
  return { catalog: base.withOverrides(data), problems: [] };
}
