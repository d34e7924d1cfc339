/**
 * `npm run schemas`: writes schemas/{vllm,sglang,trtllm,tgi}.schema.json from the engine key tables.
 * test/unit/schemas.test.ts fails when the committed files differ from what this would write.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { engineSchema } from '../server/src/formats/keys/schema';
import { sglangKeys } from '../server/src/formats/keys/sglang';
import { tgiKeys } from '../server/src/formats/keys/tgi';
import { trtllmKeys } from '../server/src/formats/keys/trtllm';
import { vllmKeys } from '../server/src/formats/keys/vllm';

export const generatedSchemas = [vllmKeys, sglangKeys, trtllmKeys, tgiKeys].map((t) => ({ file: `${t.engine}.schema.json`, text: `${JSON.stringify(engineSchema(t), null, 2)}\n` }));

if (require.main === module) {
  const dir = path.resolve(__dirname, '../../schemas');
  for (const s of generatedSchemas) fs.writeFileSync(path.join(dir, s.file), s.text);
  console.log(`wrote ${generatedSchemas.map((s) => s.file).join(', ')} to ${dir}`);
}
