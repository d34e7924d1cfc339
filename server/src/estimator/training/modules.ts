/**
 * One decoder layer's linear modules by their transformers names, with their input and output widths, read from the
 * ModelSpec (model.ts reads config.json; nothing is re-parsed here). LoRA targets are matched against these names.
 */
import type { ModelSpec } from '../modelSpec';

export interface LinearModule {
  name: string;
  dIn: number;
  dOut: number;
  /** Copies per layer: 1, or the routed experts' count for expert matrices. */
  count: number;
  /** Which norm feeds it (`attn`: input_layernorm; `mlp`: post_attention_layernorm), or the op before it. */
  input: 'attn-norm' | 'mlp-norm' | 'attn-out' | 'mlp-act' | 'expert-in' | 'expert-act';
}

/** PEFT's `all-linear`: every linear of the decoder layers, the output layer excluded (peft tuners_utils). */
export const ALL_LINEAR = 'all-linear';

/** Target names PEFT uses when none are given (peft/utils/constants.py TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING:
 *  llama, mistral, qwen2, gemma… → q_proj, v_proj). */
export const DEFAULT_LORA_TARGETS = ['q_proj', 'v_proj'];

export function layerModules(m: ModelSpec, layer: number): LinearModule[] {
  const h = m.hidden;
  const q = m.heads * m.headDim;
  const kv = m.kvHeads * m.headDim;
  const mods: LinearModule[] = [
    { name: 'q_proj', dIn: h, dOut: q, count: 1, input: 'attn-norm' },
    { name: 'k_proj', dIn: h, dOut: kv, count: 1, input: 'attn-norm' },
    { name: 'v_proj', dIn: h, dOut: kv, count: 1, input: 'attn-norm' },
    { name: 'o_proj', dIn: q, dOut: h, count: 1, input: 'attn-out' },
  ];
  const moe = m.moe && m.moe.moeLayers[layer] ? m.moe : null;
  const dense = (i: number, prefix = ''): LinearModule[] =>
    m.gatedMlp
      ? [
          { name: `${prefix}gate_proj`, dIn: h, dOut: i, count: 1, input: 'mlp-norm' },
          { name: `${prefix}up_proj`, dIn: h, dOut: i, count: 1, input: 'mlp-norm' },
          { name: `${prefix}down_proj`, dIn: i, dOut: h, count: 1, input: 'mlp-act' },
        ]
      : [
          { name: `${prefix}up_proj`, dIn: h, dOut: i, count: 1, input: 'mlp-norm' },
          { name: `${prefix}down_proj`, dIn: i, dOut: h, count: 1, input: 'mlp-act' },
        ];
  if (!moe) return [...mods, ...dense(m.intermediate)];
  const ie = moe.expertIntermediate;
  const e = moe.numExperts;
  const experts: LinearModule[] = m.gatedMlp
    ? [
        { name: 'gate_proj', dIn: h, dOut: ie, count: e, input: 'expert-in' },
        { name: 'up_proj', dIn: h, dOut: ie, count: e, input: 'expert-in' },
        { name: 'down_proj', dIn: ie, dOut: h, count: e, input: 'expert-act' },
      ]
    : [
        { name: 'up_proj', dIn: h, dOut: ie, count: e, input: 'expert-in' },
        { name: 'down_proj', dIn: ie, dOut: h, count: e, input: 'expert-act' },
      ];
  return [...mods, ...experts, ...(moe.sharedIntermediate ? dense(moe.sharedIntermediate, 'shared_expert.') : [])];
}

/** Does `name` match a target as PEFT matches target_modules (the module name's last component, or a suffix). */
export function isTarget(name: string, targets: string[] | 'all-linear'): boolean {
  if (targets === ALL_LINEAR) return true;
  const last = name.split('.').pop()!;
  return targets.some((t) => t === name || t === last || name.endsWith(`.${t}`));
}

/** Full-width RMSNorms on q and k (Qwen3, Gemma 3: per head; OLMoE: over all heads — transformers OlmoeAttention). */
export function hasQkNorm(m: ModelSpec): boolean {
  return m.qkNorm || m.modelType === 'olmoe';
}
