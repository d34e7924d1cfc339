import { strict as assert } from 'node:assert';
import Ajv from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { generatedSchemas, generatedValidators, validatorsFile } from '../../scripts/generate-schemas';
import { strictEngine } from '../../server/src/schemas/validators.generated';
import { keyIndex } from '../../server/src/formats/keys/types';
import { sglangKeys } from '../../server/src/formats/keys/sglang';
import { tgiKeys } from '../../server/src/formats/keys/tgi';
import { trtllmKeys } from '../../server/src/formats/keys/trtllm';
import { vllmKeys } from '../../server/src/formats/keys/vllm';
import { root } from '../support/paths';

const schemaDir = path.join(root, 'schemas');

describe('JSON Schemas', () => {
  it('the committed engine schemas are exactly what the key tables generate (run npm run schemas)', () => {
    for (const s of generatedSchemas) assert.equal(fs.readFileSync(path.join(schemaDir, s.file), 'utf8'), s.text, `${s.file} is stale`);
  });

  it('the committed ahead-of-time validators are exactly what the schemas compile to (run npm run schemas)', () => {
    assert.equal(fs.readFileSync(validatorsFile, 'utf8'), generatedValidators(), `${path.relative(root, validatorsFile)} is stale`);
  });

  it('the precompiled validators judge like ajv compiling the schema at run time', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, 'vllm.schema.json'), 'utf8'));
    const live = new Ajv({ allErrors: true, strict: false }).compile(schema);
    for (const doc of [{ 'max-model-len': 4096 }, { 'max-model-len': 'x' }, { 'kv-cache-dtype': 'fp9' }, { 'gpu-memory-utilization': 2 }, {}]) {
      assert.equal(strictEngine.vllm(doc), live(doc), JSON.stringify(doc));
      assert.deepEqual(strictEngine.vllm.errors?.map((e) => e.instancePath), live.errors?.map((e) => e.instancePath));
    }
  });

  it('every schema in schemas/ compiles with ajv', () => {
    for (const f of fs.readdirSync(schemaDir).filter((f) => f.endsWith('.json'))) {
      assert.doesNotThrow(() => new Ajv({ strict: false }).compile(JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8'))), f);
    }
  });

  it('every key of every table is in its schema, with its description and default (one source of truth)', () => {
    for (const table of [vllmKeys, sglangKeys, trtllmKeys, tgiKeys]) {
      const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, `${table.engine}.schema.json`), 'utf8')) as { properties: Record<string, { description: string; default?: unknown }> };
      for (const k of table.keys) {
        const prop = schema.properties[k.name];
        assert.ok(prop, `${table.engine}: ${k.name} missing`);
        assert.ok(prop.description.startsWith(k.description), `${table.engine}: ${k.name} description`);
        if (k.default !== undefined) assert.deepEqual(prop.default, k.default);
      }
    }
  });

  it('vLLM and SGLang accept both spellings; TensorRT-LLM only snake_case', () => {
    const v = JSON.parse(fs.readFileSync(path.join(schemaDir, 'vllm.schema.json'), 'utf8'));
    assert.ok(v.properties['max-model-len'] && v.properties.max_model_len);
    const t = JSON.parse(fs.readFileSync(path.join(schemaDir, 'trtllm.schema.json'), 'utf8'));
    assert.equal(t.additionalProperties, false);
    assert.ok(t.properties.kv_cache_config.properties.free_gpu_memory_fraction);
  });

  it('the key index resolves aliases and spellings', () => {
    assert.equal(keyIndex(vllmKeys).get(vllmKeys.normalize('--tensor_parallel_size'))?.name, 'tensor-parallel-size');
    assert.equal(keyIndex(sglangKeys).get(sglangKeys.normalize('tp'))?.name, 'tp-size');
    assert.equal(keyIndex(trtllmKeys).get('tp_size')?.name, 'tensor_parallel_size');
  });

  it('package.json contributes the schemas to YAML/JSON validation, and every path exists', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const urls = [...pkg.contributes.yamlValidation, ...pkg.contributes.jsonValidation].map((v: { url: string }) => v.url);
    assert.ok(urls.includes('./schemas/profile.schema.json') && urls.includes('./schemas/vllm.schema.json'));
    for (const u of urls) assert.ok(fs.existsSync(path.join(root, u)), u);
  });
});
