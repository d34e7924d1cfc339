/**
 * No silent generic decoder (issue 17, item 4): every real config.json in ../shared/research/hub-configs (top folder)
 * is estimated, and each is either from a family this table says is modelled exactly, or its estimate carries the
 * `unmodelled-architecture` warning naming what is not modelled. Skips, saying so, when ../shared is not beside the
 * checkout.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { estimate, Estimate, EstimateIssue } from '../../server/src/estimator/estimate';
import { parsePythonJson } from '../../server/src/formats/pythonJson';
import { byDefault, DeploymentPlan, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';
import { root } from '../support/paths';

const dir = path.resolve(root, '..', 'shared', 'research', 'hub-configs');
const skip = fs.existsSync(dir) ? false : `hub configs not found at ${dir} (../shared is not beside this checkout)`;

type Json = Record<string, unknown>;

/**
 * Language-model types the estimator reads exactly (this test's own list, so that a change to the code's list shows
 * here). kimi_k2 is DeepSeek-V3 under another name.
 */
const EXACT = new Set(['llama', 'mistral', 'mixtral', 'qwen2', 'qwen2_moe', 'qwen3', 'qwen3_moe', 'phi3', 'phi', 'gemma', 'gemma2', 'gemma3_text',
  'deepseek_v2', 'deepseek_v3', 'kimi_k2', 'gpt_oss', 'granite', 'llama4_text',
  // Family readers (estimator/families/): hybrids, per-layer shapes, sparse attention, other decoders, encoders.
  'qwen3_next', 'qwen3_5_text', 'qwen3_5_moe_text', 'qwen2_vl', 'qwen2_5_vl', 'qwen2_5_vl_text', 'qwen3_vl_text', 'qwen3_vl_moe_text', 'qwen',
  'nemotron_h', 'lfm2', 'falcon', 'gemma4_text', 'minimax_m1', 'minimax_m2', 'minimax_m3', 'minimax_m3_vl', 'mimo', 'mimo_v2_flash', 'nemotron-nas',
  'olmo2', 'olmo3', 'exaone4', 'smollm3', 'hunyuan', 'phimoe', 'granitemoe', 'chatglm', 'ministral3', 'mllama_text_model', 'bert',
  'deepseek_v32', 'glm_moe_dsa', 'deepseek_v4', 'deepseek_ref', 'kimi_linear', 'glm4_moe', 'opt', 'step3p7', 'minicpmv']);


/** Fields that always mark an unmodelled layout: the warning must name each one the config holds. */
const MARKERS = ['layers_block_type', 'hybrid_override_pattern', 'linear_attn_config', 'block_configs', 'index_topk', 'compress_ratios', 'moe_latent_size',
  'routed_expert_hidden_size', 'full_attention_interval', 'sparse_attention_config', 'hybrid_layer_pattern', 'cross_attention_layers'];

const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function plan(id: string, config: Json, hfQuantConfig?: Json): DeploymentPlan {
  return {
    name: id,
    model: { ref: sourced(id, cli('model')), config, ...(hfQuantConfig ? { hfQuantConfig } : {}) },
    hardware: { gpu: sourced('H200', cli('gpu')), count: sourced(8, cli('count')), replicas: byDefault(1, '') },
    engine: { name: sourced('vllm', cli('engine')) },
    knobs: { maxModelLen: sourced(8192, cli('max-model-len')) },
    workload: defaultWorkload(),
  };
}

/** Paths of the numbers in `v` that are not finite. */
function nonFinite(v: unknown, at = ''): string[] {
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [`${at} = ${v}`];
  if (Array.isArray(v)) return v.flatMap((x, i) => nonFinite(x, `${at}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => nonFinite(x, at ? `${at}.${k}` : k));
  return [];
}

interface Case { file: string; id: string; config: Json; text: Json; textType: string; wrapper: boolean; result: ReturnType<typeof estimate> }

function cases(): Case[] {
  if (skip) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.hf_quant_config.json')).sort().map((file) => {
    // Nemotron-H configs hold Python's bare Infinity, as the Hub serves them: read the way the product reads them.
    const config = parsePythonJson(fs.readFileSync(path.join(dir, file), 'utf8')) as Json;
    const sideFile = path.join(dir, file.replace(/\.json$/, '.hf_quant_config.json'));
    const side = fs.existsSync(sideFile) ? (parsePythonJson(fs.readFileSync(sideFile, 'utf8')) as Json) : undefined;
    const id = file.replace(/\.json$/, '').replace('--', '/');
    const text = config.text_config && typeof config.text_config === 'object' ? (config.text_config as Json) : config;
    const textType = String(text.model_type ?? config.model_type);
    const arch = String((Array.isArray(config.architectures) && config.architectures[0]) || '');
    const wrapper = ['vision_config', 'visual', 'vision_encoder', 'audio_config'].some((k) => config[k] !== undefined) || (text !== config && /ForConditionalGeneration$/.test(arch));
    return { file, id, config, text, textType, wrapper, result: estimate(plan(id, config, side)) };
  });
}

const all = cases();
const warning = (e: Estimate): EstimateIssue | undefined => e.issues.find((i) => i.code === 'unmodelled-architecture');
const exact = all.filter((c) => c.result.ok && !warning(c.result.estimate)).length;

describe(`hub configs: no silent generic decoder (${exact} modelled exactly, ${all.length - exact} warned, of ${all.length})`, { skip }, () => {
  it('finds the configs', () => assert.ok(all.length >= 100, `only ${all.length} configs in ${dir}`));

  it('every config estimates, with finite numbers', () => {
    const bad: string[] = [];
    for (const c of all) {
      if (!c.result.ok) { bad.push(`${c.file}: ${c.result.issues.map((i) => i.message).join('; ')}`); continue; }
      const nf = nonFinite(c.result.estimate);
      if (nf.length) bad.push(`${c.file}: ${nf.slice(0, 5).join(', ')}`);
    }
    assert.deepEqual(bad, []);
  });

  it('each config is modelled exactly or carries an unmodelled-architecture warning that names what is not modelled', () => {
    const bad: string[] = [];
    for (const c of all) {
      if (!c.result.ok) continue;
      const w = warning(c.result.estimate);
      if (EXACT.has(c.textType) && !c.wrapper) {
        if (w) bad.push(`${c.file}: ${c.textType} is modelled exactly, yet warned: ${w.message}`);
        continue;
      }
      if (EXACT.has(c.textType)) {
        // A multimodal wrapper around a modelled language model: its tower is counted (no warning), or only the tower
        // is missing (the narrower warning).
        if (w && (!/not counted in the weights/.test(w.message) || /Architecture not modelled/.test(w.message))) bad.push(`${c.file}: expected no warning or the narrower tower warning, got: ${w.message}`);
        continue;
      }
      if (!w) { bad.push(`${c.file}: ${c.textType} read silently as a generic decoder`); continue; }
      assert.equal(w.severity, 'warning');
      if (!/Architecture not modelled/.test(w.message) || !/Assumed instead/.test(w.message)) bad.push(`${c.file}: the warning does not say what is not modelled and what was assumed: ${w.message}`);
      if (!w.message.includes(`"${c.textType}"`) && MARKERS.every((m) => c.text[m] === undefined)) bad.push(`${c.file}: the warning names neither the model_type nor a field: ${w.message}`);
      for (const m of MARKERS) if (c.text[m] !== undefined && c.text[m] !== null && !w.message.includes(m)) bad.push(`${c.file}: ${m} is not named: ${w.message}`);
      const types = Array.isArray(c.text.layer_types) ? (c.text.layer_types as unknown[]).map(String) : [];
      if (types.some((t) => /linear|mamba|conv/.test(t)) && !w.message.includes('layer_types')) bad.push(`${c.file}: layer_types with non-attention layers is not named: ${w.message}`);
      if (c.wrapper && !/not counted in the weights/.test(w.message)) bad.push(`${c.file}: the vision/audio tower is not named: ${w.message}`);
    }
    assert.deepEqual(bad, []);
  });

  it('no config is read as a generic decoder (issue 17: every id estimates without one)', () => {
    const generic = all.filter((c) => c.result.ok && /Architecture not modelled/.test(warning(c.result.estimate)?.message ?? ''));
    assert.deepEqual(generic.map((c) => c.file), []);
  });

  it('the assumptions say a generic read is rough', () => {
    for (const c of all) {
      if (!c.result.ok || !warning(c.result.estimate) || EXACT.has(c.textType)) continue;
      assert.ok(c.result.estimate.assumptions.some((a) => /not modelled exactly: read as a generic decoder/.test(a) && /rough/.test(a)), `${c.file}: ${c.result.estimate.assumptions.join(' | ')}`);
    }
  });
});
