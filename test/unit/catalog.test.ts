import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, it } from 'node:test';
import catalogJson from '../../server/src/catalog/models.json';
import { catalogConfig, catalogId, catalogModelIds, nearestCatalogId } from '../../server/src/catalog/models';
import { estimate } from '../../server/src/estimator/estimate';
import { countParams, modelFromConfig } from '../../server/src/estimator/model';
import { byDefault, DeploymentPlan, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { parseCsv } from '../../bench/accuracy';

const shared = path.resolve(__dirname, '../../../../shared');
const hubDir = path.join(shared, 'research/hub-configs');
const cli = (flag: string) => ({ kind: 'cli' as const, flag });
const raw = catalogJson as Record<string, Record<string, unknown>>;

function plan(model: string, gpu = 'H100-SXM', tp = 1): DeploymentPlan {
  return {
    name: model,
    model: { ref: sourced(model, cli('model')) },
    hardware: { gpu: sourced(gpu, cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced('vllm', cli('engine')) },
    knobs: { tensorParallel: sourced(tp, cli('tp')), maxModelLen: sourced(4096, cli('mml')) },
    workload: defaultWorkload(),
  };
}

describe('model catalog', () => {
  it('holds every id it was built from, aliases and quantized variants included', () => {
    // Issue 17 asks for at least 300: the real configs of ../shared give 249; the rest are the ids users serve without a
    // config file here (typed, same-architecture, derived and quantized entries of scripts/build-model-catalog.py).
    assert.ok(catalogModelIds().length >= 300, `${catalogModelIds().length} ids`);
  });

  it('resolves every id case-insensitively, as the Hub does', () => {
    for (const id of catalogModelIds()) {
      const c = catalogConfig(id);
      assert.ok(c, id);
      assert.equal(catalogConfig(id.toLowerCase()), c, id);
      assert.equal(catalogConfig(` ${id.toUpperCase()} `), c, id);
      assert.equal(catalogId(id.toLowerCase()), id);
      assert.ok(!('$alias' in c) && !('$base' in c), `${id} resolves to a config, not a reference`);
    }
    assert.ok(catalogConfig('meta-llama/llama-3.1-8b-instruct'));
    assert.equal(catalogConfig('meta-llama/Llama-3.1-8B-Instruct-nope'), undefined);
  });

  it('stores each id once, case-insensitively', () => {
    const lower = catalogModelIds().map((id) => id.toLowerCase());
    assert.equal(new Set(lower).size, lower.length);
  });

  // Published parameter counts (total; active for MoE where stated). Within 2 %.
  const published: Array<[string, number, string, number?]> = [
    ['meta-llama/Llama-3.1-8B', 8.03e9, 'Hugging Face model page (safetensors): 8.03B'],
    ['meta-llama/Llama-3.1-70B', 70.6e9, 'Hugging Face model page (safetensors): 70.6B'],
    ['meta-llama/Llama-3.1-405B', 405e9, 'The Llama 3 Herd of Models: 405B'],
    ['meta-llama/Llama-3.2-1B', 1.23e9, 'Llama 3.2 model card: 1.23B'],
    ['meta-llama/Llama-3.2-3B', 3.21e9, 'Llama 3.2 model card: 3.21B'],
    ['meta-llama/Llama-2-7b-hf', 6.74e9, 'Hugging Face model page (safetensors): 6.74B'],
    ['meta-llama/Llama-2-13b-chat-hf', 13.0e9, 'Hugging Face model page (safetensors): 13B'],
    ['meta-llama/Llama-2-70b-hf', 69.0e9, 'Hugging Face model page (safetensors): 69B'],
    ['Qwen/Qwen2.5-0.5B-Instruct', 0.49e9, 'Qwen2.5 model card: 0.49B'],
    ['Qwen/Qwen2.5-1.5B-Instruct', 1.54e9, 'Qwen2.5 model card: 1.54B'],
    ['Qwen/Qwen2.5-3B-Instruct', 3.09e9, 'Qwen2.5 model card: 3.09B'],
    ['Qwen/Qwen2.5-7B', 7.61e9, 'Qwen2.5 model card: 7.61B'],
    ['Qwen/Qwen2.5-14B', 14.7e9, 'Qwen2.5 model card: 14.7B'],
    ['Qwen/Qwen2.5-32B', 32.5e9, 'Qwen2.5 model card: 32.5B'],
    ['Qwen/Qwen2.5-72B', 72.7e9, 'Qwen2.5 model card: 72.7B'],
    ['Qwen/Qwen3-0.6B', 0.6e9, 'Qwen3 model card: 0.6B'],
    ['Qwen/Qwen3-1.7B', 1.7e9, 'Qwen3 model card: 1.7B'],
    ['Qwen/Qwen3-8B', 8.2e9, 'Qwen3 model card: 8.2B'],
    ['Qwen/Qwen3-14B', 14.8e9, 'Qwen3 model card: 14.8B'],
    ['Qwen/Qwen3-32B', 32.8e9, 'Qwen3 model card: 32.8B'],
    ['Qwen/Qwen3-30B-A3B', 30.5e9, 'Qwen3 model card: 30.5B total, 3.3B activated', 3.3e9],
    ['Qwen/Qwen3-235B-A22B', 235e9, 'Qwen3 model card: 235B total, 22B activated', 22e9],
    ['Qwen/Qwen3-Coder-480B-A35B-Instruct', 480e9, 'Qwen3-Coder model card: 480B total, 35B activated', 35e9],
    ['mistralai/Mistral-7B-v0.3', 7.25e9, 'Hugging Face model page (safetensors): 7.25B'],
    ['mistralai/Mistral-Nemo-Instruct-2407', 12.2e9, 'Hugging Face model page (safetensors): 12.2B'],
    ['mistralai/Mixtral-8x7B-v0.1', 46.7e9, 'Mistral AI, Mixtral of experts: 46.7B total, 12.9B active', 12.9e9],
    ['mistralai/Mixtral-8x22B-v0.1', 141e9, 'Mistral AI, Mixtral 8x22B: 141B total, 39B active', 39e9],
    ['google/gemma-2-2b-it', 2.61e9, 'Hugging Face model page (safetensors): 2.61B'],
    ['google/gemma-2-9b', 9.24e9, 'Hugging Face model page (safetensors): 9.24B'],
    ['google/gemma-2-27b', 27.2e9, 'Hugging Face model page (safetensors): 27.2B'],
    ['google/gemma-3-1b-it', 1.0e9, 'Gemma 3 technical report: 1B'],
    ['microsoft/Phi-3-mini-4k-instruct', 3.8e9, 'Phi-3 technical report: 3.8B'],
    ['microsoft/Phi-3.5-mini-instruct', 3.8e9, 'Phi-3.5-mini model card: 3.8B'],
    ['microsoft/Phi-4-mini-instruct', 3.8e9, 'Phi-4-mini model card: 3.8B'],
    ['microsoft/phi-4', 14.7e9, 'Hugging Face model page (safetensors): 14.7B'],
    ['deepseek-ai/DeepSeek-V3', 671e9, 'DeepSeek-V3 technical report: 671B total, 37B activated', 37e9],
    ['deepseek-ai/DeepSeek-R1', 671e9, 'DeepSeek-R1 model card: 671B total, 37B activated', 37e9],
    ['deepseek-ai/DeepSeek-V2-Lite', 15.7e9, 'DeepSeek-V2 model card: 15.7B total'],
    ['openai/gpt-oss-120b', 116.8e9, 'gpt-oss model card: 116.8B total'],
    ['openai/gpt-oss-20b', 20.9e9, 'gpt-oss model card: 20.9B total'],
    ['zai-org/GLM-4.5', 355e9, 'GLM-4.5 model card: 355B total'],
    ['01-ai/Yi-34B', 34.4e9, 'Hugging Face model page (safetensors): 34.4B'],
    ['TinyLlama/TinyLlama-1.1B-Chat-v1.0', 1.1e9, 'TinyLlama model card: 1.1B'],
    ['codellama/CodeLlama-34b-Instruct-hf', 34e9, 'Code Llama paper: 34B'],
    // Ids added without a config file of their own (build-model-catalog.py's TYPED, SAME, DERIVED and QUANTIZED lists).
    // Multimodal ones: the language model only (model.params excludes the vision tower).
    ['facebook/opt-125m', 125e6, 'OPT paper, Table 1: 125M'],
    ['facebook/opt-1.3b', 1.3e9, 'OPT paper, Table 1: 1.3B'],
    ['facebook/opt-6.7b', 6.7e9, 'OPT paper, Table 1: 6.7B'],
    ['Qwen/Qwen3-4B', 4.0e9, 'Qwen3 model card: 4.0B'],
    ['Qwen/Qwen3-4B-Instruct-2507', 4.0e9, 'Qwen3-4B-Instruct-2507 model card: 4.0B'],
    ['Qwen/Qwen3-4B-AWQ', 4.0e9, 'Qwen3-4B: 4.0B (quantization changes bytes, not parameters)'],
    ['Qwen/Qwen3-235B-A22B-Instruct-2507', 235e9, 'Qwen3-235B-A22B-Instruct-2507 model card: 235B total, 22B activated', 22e9],
    ['Qwen/Qwen3-Coder-30B-A3B-Instruct', 30.5e9, 'Qwen3-Coder-30B-A3B model card: 30.5B total, 3.3B activated', 3.3e9],
    ['Qwen/Qwen2.5-Math-1.5B', 1.54e9, 'Hugging Face model page (safetensors): 1.54B'],
    ['Qwen/Qwen2.5-Math-7B-Instruct', 7.62e9, 'Hugging Face model page (safetensors): 7.62B'],
    ['Qwen/Qwen2.5-Coder-7B-Instruct', 7.61e9, 'Qwen2.5-Coder model card: 7.61B'],
    ['Qwen/Qwen2.5-Coder-32B-Instruct', 32.5e9, 'Qwen2.5-Coder model card: 32.5B'],
    ['Qwen/Qwen2-0.5B-Instruct', 0.49e9, 'Hugging Face model page (safetensors): 494M'],
    ['Qwen/Qwen2-1.5B-Instruct', 1.54e9, 'Hugging Face model page (safetensors): 1.54B'],
    ['Qwen/Qwen2-7B-Instruct', 7.62e9, 'Hugging Face model page (safetensors): 7.62B'],
    ['Qwen/Qwen2-72B-Instruct', 72.7e9, 'Hugging Face model page (safetensors): 72.7B'],
    ['Qwen/Qwen2.5-VL-3B-Instruct', 3.09e9, 'Qwen2.5-3B text model (Qwen2.5 card: 3.09B); the 0.67B vision tower beside it'],
    ['Qwen/Qwen2.5-VL-32B-Instruct', 32.5e9, 'Qwen2.5-32B text model (Qwen2.5 card: 32.5B)'],
    ['Qwen/Qwen2.5-VL-72B-Instruct', 72.7e9, 'Qwen2.5-72B text model (Qwen2.5 card: 72.7B)'],
    ['Qwen/Qwen2-VL-7B-Instruct', 7.62e9, 'Qwen2-7B text model (Hub page 7.62B)'],
    ['deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B', 1.78e9, 'Hugging Face model page (safetensors): 1.78B'],
    ['deepseek-ai/DeepSeek-V2', 236e9, 'DeepSeek-V2 paper: 236B total, 21B activated', 21e9],
    ['deepseek-ai/DeepSeek-Coder-V2-Instruct', 236e9, 'DeepSeek-Coder-V2 model card: 236B total, 21B active', 21e9],
    ['deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct', 15.7e9, 'Hugging Face model page (safetensors): 15.7B'],
    ['deepseek-ai/DeepSeek-V3.1', 671e9, 'DeepSeek-V3.1 model card: 671B total, 37B activated', 37e9],
    ['mistralai/Mistral-Large-Instruct-2407', 123e9, 'Mistral Large 2 model card: 123B'],
    ['mistralai/Mistral-Small-24B-Instruct-2501', 23.6e9, 'Hugging Face model page (safetensors): 23.6B'],
    ['mistralai/Mistral-Small-3.1-24B-Instruct-2503', 23.6e9, 'text model of Mistral Small 3.1 = Mistral Small 3 (23.6B); 24B with the vision encoder'],
    ['mistralai/Codestral-22B-v0.1', 22.2e9, 'Hugging Face model page (safetensors): 22.2B'],
    ['meta-llama/Meta-Llama-3-70B-Instruct', 70.6e9, 'Hugging Face model page (safetensors): 70.6B'],
    ['google/gemma-3-4b-it', 3.88e9, 'Gemma 3 technical report: 675M embedding + 3,209M non-embedding (text model)'],
    ['google/gemma-3-12b-it', 11.77e9, 'Gemma 3 technical report: 1,012M embedding + 10,759M non-embedding (text model)'],
    ['google/gemma-2b', 2.51e9, 'Hugging Face model page (safetensors): 2.51B'],
    ['google/gemma-7b-it', 8.54e9, 'Hugging Face model page (safetensors): 8.54B'],
    ['microsoft/phi-1_5', 1.42e9, 'Hugging Face model page (safetensors): 1.42B'],
    ['HuggingFaceTB/SmolLM2-135M-Instruct', 135e6, 'SmolLM2 model card: 135M'],
    ['HuggingFaceTB/SmolLM2-360M-Instruct', 362e6, 'Hugging Face model page (safetensors): 362M'],
    ['HuggingFaceTB/SmolLM2-1.7B-Instruct', 1.71e9, 'Hugging Face model page (safetensors): 1.71B'],
  ];
  for (const [id, total, source, active] of published) {
    it(`${id}: parameters within 2 % of the published count (${source})`, () => {
      const c = catalogConfig(id);
      assert.ok(c, `${id} is in the catalog`);
      const p = countParams(modelFromConfig(id, c));
      assert.ok(Math.abs(p.total / total - 1) <= 0.02, `${id}: ${(p.total / 1e9).toFixed(2)}B vs ${(total / 1e9).toFixed(2)}B`);
      if (active) assert.ok(Math.abs(p.active / active - 1) <= 0.02, `${id} active: ${(p.active / 1e9).toFixed(2)}B vs ${(active / 1e9).toFixed(2)}B`);
    });
  }

  it('every entry estimates without throwing, with finite numbers (or a finding saying why not)', () => {
    for (const id of catalogModelIds()) {
      const r = estimate(plan(id, 'H200', 8));
      if (!r.ok) {
        assert.ok(r.issues.length > 0, `${id}: failed without saying why`);
        continue;
      }
      const m = r.estimate.memory;
      for (const [k, v] of Object.entries({ weights: m.weightsBytesPerGpu, kv: m.kvCapacityTokens, params: r.estimate.model.params })) {
        assert.ok(Number.isFinite(v) && v >= 0, `${id}: ${k} = ${v}`);
      }
    }
  });

  it('quantized variants carry their base architecture and their own quantization', () => {
    const cases: Array<[string, string, string]> = [
      ['nvidia/Qwen3-235B-A22B-NVFP4', 'Qwen/Qwen3-235B-A22B', 'modelopt'],
      ['nvidia/Llama-3.1-70B-Instruct-FP8', 'meta-llama/Llama-3.1-70B', 'modelopt'],
      ['Qwen/Qwen3-32B-FP8', 'Qwen/Qwen3-32B', 'fp8'],
      ['Qwen/Qwen2.5-7B-Instruct-AWQ', 'Qwen/Qwen2.5-7B-Instruct', 'awq'],
      ['RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic', 'meta-llama/Llama-3.1-8B', 'compressed-tensors'],
      ['zai-org/GLM-5-FP8', 'zai-org/GLM-5', 'fp8'],
      // Added without a config file of their own: each family's published quantization_config on a listed base.
      ['hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', 'meta-llama/Llama-3.1-8B-Instruct', 'awq'],
      ['Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4', 'Qwen/Qwen2.5-7B-Instruct', 'gptq'],
      ['unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit', 'meta-llama/Llama-3.1-8B-Instruct', 'bitsandbytes'],
      ['RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8', 'meta-llama/Llama-3.1-8B-Instruct', 'compressed-tensors'],
      ['nvidia/Llama-3.3-70B-Instruct-FP4', 'meta-llama/Llama-3.3-70B-Instruct', 'modelopt'],
      ['nvidia/DeepSeek-R1-FP4', 'deepseek-ai/DeepSeek-R1', 'modelopt'],
      ['Qwen/Qwen3-8B-FP8', 'Qwen/Qwen3-8B', 'fp8'],
      ['kaitchup/Phi-4-AutoRound-GPTQ-4bit', 'microsoft/phi-4', 'gptq'],
    ];
    for (const [quantized, base, method] of cases) {
      const q = catalogConfig(quantized)!;
      const b = catalogConfig(base)!;
      assert.ok(q && b, quantized);
      for (const k of ['num_hidden_layers', 'hidden_size', 'intermediate_size', 'num_attention_heads', 'num_key_value_heads', 'vocab_size']) {
        assert.deepEqual(q[k], b[k], `${quantized}.${k}`);
      }
      assert.equal((q.quantization_config as Record<string, unknown>).quant_method, method, quantized);
      assert.equal(countParams(modelFromConfig(quantized, q)).total, countParams(modelFromConfig(base, b)).total, quantized);
      assert.notEqual(modelFromConfig(quantized, q).weightFormat.name, 'bf16', `${quantized} reads as quantized`);
    }
    // ModelOpt side files (hf_quant_config.json) travel with the entry, KV-cache quantization included.
    const nvfp4 = catalogConfig('nvidia/Qwen3-235B-A22B-NVFP4')!.quantization_config as Record<string, unknown>;
    assert.equal(nvfp4.quant_algo, 'NVFP4');
    assert.equal(nvfp4.kv_cache_quant_algo, 'FP8');
    assert.equal(modelFromConfig('q', catalogConfig('nvidia/Qwen3-235B-A22B-NVFP4')!).weightFormat.name, 'nvfp4');
    // Each quantization form the added entries use reads as the format it is (not as 16-bit, not as another method).
    const formats: Array<[string, string]> = [
      ['hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4', 'awq'], ['TheBloke/Llama-2-7B-Chat-GPTQ', 'gptq'],
      ['unsloth/Llama-3.2-1B-Instruct-bnb-4bit', 'bnb-nf4'], ['RedHatAI/Meta-Llama-3.1-70B-Instruct-FP8', 'fp8'],
      ['RedHatAI/Llama-3.3-70B-Instruct-quantized.w8a8', 'int8'], ['RedHatAI/Llama-3.3-70B-Instruct-quantized.w4a16', 'w4a16'],
      ['nvidia/Llama-3.3-70B-Instruct-FP8', 'fp8'], ['nvidia/Llama-3.3-70B-Instruct-FP4', 'nvfp4'], ['nvidia/DeepSeek-R1-0528-FP4', 'nvfp4'],
      ['Qwen/Qwen3-VL-30B-A3B-Instruct-FP8', 'fp8'], ['Qwen/Qwen2.5-72B-Instruct-AWQ', 'awq'],
    ];
    for (const [id, name] of formats) assert.equal(modelFromConfig(id, catalogConfig(id)!).weightFormat.name, name, id);
  });

  it('stores quantized checkpoints compactly, as their base plus their quantization', () => {
    assert.equal(raw['nvidia/Qwen3-235B-A22B-NVFP4'].$base, 'Qwen/Qwen3-235B-A22B');
    assert.equal(raw['Qwen/Qwen3-32B-FP8'].$base, 'Qwen/Qwen3-32B');
    assert.ok(fs.statSync(path.resolve(__dirname, '../../../server/src/catalog/models.json')).size < 300_000);
  });

  it('did-you-mean names the right id for typos, and never another size of the family', () => {
    const cases: Array<[string, string]> = [
      ['meta-llama/Llama-3.1-8B-Instuct', 'meta-llama/Llama-3.1-8B-Instruct'],
      ['Qwen/Qwen2.5-7B-Instrcut', 'Qwen/Qwen2.5-7B-Instruct'],
      ['mistralai/Mixtral-8x7B-Instruct-v01', 'mistralai/Mixtral-8x7B-Instruct-v0.1'],
      ['deepseek-ai/DeepSeek-V3.2-exp', 'deepseek-ai/DeepSeek-V3.2'],
      ['google/gema-2-9b-it', 'google/gemma-2-9b-it'],
      ['nvidia/Qwen3-235B-A22B-NVFP', 'nvidia/Qwen3-235B-A22B-NVFP4'],
      ['Qwen/Qwen3-30B-A3B-Instruct-2507 ', 'Qwen/Qwen3-30B-A3B-Instruct-2507'],
    ];
    for (const [typo, meant] of cases) {
      assert.equal(nearestCatalogId(typo) ?? catalogId(typo), meant, typo);
    }
    assert.equal(nearestCatalogId('Qwen/Qwen3-2B'), undefined, 'Qwen3-1.7B / Qwen3-4B are not typos of Qwen3-2B');
    assert.equal(nearestCatalogId('acme/totally-unknown-model'), undefined);
  });
});

describe('model catalog against ../shared (the files it was generated from)', { skip: !fs.existsSync(hubDir) && 'needs ../shared/research/hub-configs' }, () => {
  it('every id in research/hub-configs (all three folders) resolves, with the file\'s dimensions', () => {
    const ids: Array<[string, string]> = [];
    for (const sub of ['', 'resaved', 'converted']) {
      for (const f of fs.readdirSync(path.join(hubDir, sub))) {
        if (f.endsWith('.json') && !f.endsWith('.hf_quant_config.json')) ids.push([f.slice(0, -5).replace('--', '/'), path.join(hubDir, sub, f)]);
      }
    }
    assert.ok(ids.length >= 180, `${ids.length} hub configs`);
    for (const [id, file] of ids) {
      const c = catalogConfig(id.toLowerCase());
      assert.ok(c, `${id} is in the catalog`);
      // Python's json writes Infinity (Mamba time_step_limit); not a field the catalog keeps.
      const real = JSON.parse(fs.readFileSync(file, 'utf8').replace(/\bInfinity\b/g, 'null')) as Record<string, unknown>;
      for (const k of ['num_attention_heads', 'hidden_size', 'vocab_size', 'num_key_value_heads']) {
        if (real[k] !== undefined) assert.deepEqual(c[k], real[k], `${id}.${k}`);
      }
    }
  });

  it('ids added from the startup logs (no config.json of their own) reproduce the weights the log measured, within 2 %', () => {
    const added = ['RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w8a8', 'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a8', 'Qwen/Qwen2.5-7B-Instruct-AWQ', 'meta-llama/Meta-Llama-3-8B',
      'Qwen/Qwen3-4B', 'Qwen/Qwen2.5-Math-1.5B', 'kaitchup/Phi-4-AutoRound-GPTQ-4bit'];
    // Not here: DeepSeek-Coder-V2-Lite-Instruct's row (vLLM 0.7.1, TP 8) logs 3.97 GiB where the checkpoint's tensors are
    // 3.75 GiB per GPU: that vLLM's MLA kept absorbed W_Q·W_UK and W_UV·W_O copies (2 × 2048 × 1024 per layer per GPU,
    // 0.21 GiB) beside the loaded weights — an engine-version effect, not a different architecture.
    // Qwen3-235B-A22B-Instruct-2507-FP8's row runs expert parallel across more ranks than its tp column says.

    const rows = parseCsv(fs.readFileSync(path.join(shared, 'calibration/vllm-startup-logs.csv'), 'utf8'));
    for (const id of added) {
      // Weights per GPU do not depend on the GPU: estimated on an H100 at the row's TP (PP 1 rows only).
      const mine = rows.filter((r) => r.model === id && r.weights_gib && (Number(r.pp) || 1) === 1);
      assert.ok(mine.length > 0, `${id} has a startup-log row`);
      for (const r of mine) {
        const res = estimate(plan(id, 'H100-SXM', Number(r.tp) || 1));
        assert.ok(res.ok, id);
        const gib = res.estimate.memory.weightsBytesPerGpu / 2 ** 30;
        assert.ok(Math.abs(gib / Number(r.weights_gib) - 1) <= 0.02, `${id}: ${gib.toFixed(2)} GiB vs ${r.weights_gib} GiB logged`);
      }
    }
  });

  it('every Hub id the calibration startup logs name resolves offline (issue 17: what real users serve)', () => {
    // The csv's model column, and the ids the raw logs print ("Starting to load model <id>...", or a JSON "model").
    const named = new Set(parseCsv(fs.readFileSync(path.join(shared, 'calibration/vllm-startup-logs.csv'), 'utf8')).map((r) => r.model));
    const logs = path.join(shared, 'calibration/logs');
    for (const f of fs.existsSync(logs) ? fs.readdirSync(logs) : []) {
      const raw = fs.readFileSync(path.join(logs, f));
      const text = (f.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('utf8');
      for (const m of text.matchAll(/Starting to load model ([^\s]+?)\.{3}|"model":\s*"([^"]+)"/g)) named.add(m[1] ?? m[2]);
    }
    const ids = new Set<string>();
    for (const cell of named) {
      const id = cell.replace(/\s+\(.*\)$/, '').trim(); // "microsoft/phi-4 (bitsandbytes 4-bit in-flight)" → the id
      const either = /^(.+)\((-[^)]+)\)$/.exec(id); // "Qwen/Qwen3-30B-A3B(-Instruct-2507)": one of two ids
      for (const c of either ? [either[1], either[1] + either[2]] : [id]) {
        // A Hub id is org/name; descriptions ("DeepSeek-R1 AWQ (4-bit; exact HF repo not shown)") and local paths are not.
        if (/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(c)) ids.add(c);
      }
    }
    // Served by users, but no config we can vouch for (none in ../shared, not known field by field): each stays listed
    // here until the catalog resolves it, so the list cannot go stale.
    const notVouched: Record<string, string> = {
      'ibm-granite/granite-vision-3.3-2b': 'LLaVA-NeXT wrapper (Granite text + SigLIP): no config file here',
      'OpenGVLab/InternVL3-78B': 'internvl_chat wrapper (llm_config + InternViT-6B): no config file here',
    };
    assert.ok(ids.size >= 30, `${ids.size} ids`);
    const missing = [...ids].filter((id) => !catalogConfig(id) && !(id in notVouched));
    assert.deepEqual(missing, [], `not in the catalog: ${missing.join(', ')}`);
    for (const id of Object.keys(notVouched)) assert.ok(ids.has(id) && !catalogConfig(id), `${id}: drop it from the not-vouched list`);
    const resolved = [...ids].filter((id) => catalogConfig(id)).length;
    assert.ok(resolved / ids.size >= 0.9, `${resolved} of ${ids.size} resolve`);
  });
});
