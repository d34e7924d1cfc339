/**
 * Nemotron-NAS / DeciLM (`nemotron-nas`, DeciLMForCausalLM: Llama-3.3-Nemotron-Super-49B, Llama-3.1-Nemotron-51B /
 * Ultra-253B): a Llama whose layers were pruned one by one by neural architecture search. `block_configs[i]` says what
 * layer i keeps: attention (with its own KV-head count) or none, and an FFN of its own width or none. The top-level
 * num_key_value_heads and intermediate_size are null — there is no uniform shape to read.
 *
 * Follows vllm@9aaf83ef:vllm/model_executor/models/nemotron_nas.py: per-layer FFN width
 * `_ffn_mult_to_intermediate_size` = int(2·ffn_mult·hidden/3) rounded up to a multiple of 256 (64-75); a layer with
 * attention is LlamaAttention with heads / n_heads_in_group KV heads plus its input_layernorm, a layer with an FFN a
 * LlamaMLP plus post_attention_layernorm (127-224). Only layers whose attention is not a no-op get KV cache
 * (vllm/config/model.py:1313-1315 counts `not no_op`). Research note §2.8: 49.87 B, 200,704 B/token for the 49B.
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerKv, LayerParams } from '../modelSpec';
import { attentionParams, emptyLayer, gatedMlpParams, mostCommon, withoutAssumptions } from './plainLayers';
import { FamilyReader, Json, num } from './types';

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** vLLM's `_find_multiple`: n rounded up to a multiple of k. */
const roundUp = (n: number, k: number): number => (n % k === 0 ? n : n + k - (n % k));

export const nemotronNas: FamilyReader = {
  name: 'Nemotron-NAS (per-layer block configs)',
  matches: (modelType, architecture, text) => (modelType === 'nemotron-nas' || architecture === 'DeciLMForCausalLM') && Array.isArray(text.block_configs),
  read(base, c) {
    const blocks = c.block_configs as unknown[];
    if (blocks.length !== base.layers) {
      throw new ModelConfigError(`block_configs has ${blocks.length} entries for ${base.layers} layers (num_hidden_layers)`);
    }
    const d = base.hidden;
    const heads = base.heads;
    const headDim = num(c.head_dim) ?? Math.floor(d / heads);
    const bias = c.attention_bias === true;
    const mlpBias = c.mlp_bias === true;
    const layerParams: LayerParams[] = [];
    const attention: LayerAttention[] = [];
    const layerKv: LayerKv[] = [];
    const kvHeadList: number[] = [];
    const widths: number[] = [];
    let linearLayers = 0;
    blocks.forEach((b, i) => {
      const a = obj(obj(b).attention);
      const f = obj(obj(b).ffn);
      const layer = emptyLayer(1);
      if (a.no_op === true) {
        attention.push({ kind: 'none' });
        layerKv.push({ elements: 0, heads: 1 });
      } else if (a.replace_with_linear === true) {
        // transformers' DeciLM replaces such attention with one hidden × hidden linear: no KV. vLLM's nemotron_nas.py has
        // no such path (it would build LlamaAttention); counted as the checkpoint holds it.
        layer.attention = d * d;
        layer.norms += d;
        attention.push({ kind: 'none' });
        layerKv.push({ elements: 0, heads: 1 });
        linearLayers++;
      } else {
        const group = num(a.n_heads_in_group);
        if (!group || heads % group !== 0) throw new ModelConfigError(`block_configs[${i}].attention.n_heads_in_group ${String(a.n_heads_in_group)} does not divide the ${heads} heads`);
        const kvHeads = heads / group;
        Object.assign(layer, attentionParams({ hidden: d, heads, kvHeads, headDim, qkvBias: bias, oBias: bias }));
        layer.norms += d; // input_layernorm
        // block window_length / sinks are not read by vLLM: every attention layer keeps a full KV cache there.
        attention.push({ kind: 'full' });
        layerKv.push({ elements: 2 * kvHeads * headDim, heads: kvHeads });
        kvHeadList.push(kvHeads);
      }
      if (f.replace_with_linear === true) {
        layer.mlp = d * d;
        layer.norms += d;
        linearLayers++;
      } else if (f.no_op !== true) {
        const mult = num(f.ffn_mult);
        const width = num(f.intermediate_size) ?? (mult !== undefined ? roundUp(Math.trunc((2 * mult * d) / 3), 256) : undefined);
        if (!width) throw new ModelConfigError(`block_configs[${i}].ffn has neither ffn_mult nor intermediate_size`);
        layer.mlp = gatedMlpParams(d, width, mlpBias);
        layer.norms += d; // post_attention_layernorm
        widths.push(width);
      }
      layerParams.push(layer);
    });
    const kvHeads = mostCommon(kvHeadList, heads);
    const attentionLayers = kvHeadList.length;
    const meanWidth = widths.length ? Math.round(widths.reduce((s, w) => s + w, 0) / widths.length) : 0;
    const assumptions = withoutAssumptions(base.assumptions, 'num_key_value_heads absent');
    assumptions.push(`Nemotron-NAS block configs: ${attentionLayers} of ${base.layers} layers have attention (and KV), ${base.layers - attentionLayers} none; FFN widths per layer from ffn_mult (int(2·mult·hidden/3) rounded up to 256, as vLLM's nemotron_nas.py)`);
    if (linearLayers) assumptions.push(`${linearLayers} block(s) replace_with_linear: counted as one hidden × hidden linear each (transformers' DeciLM); vLLM's nemotron_nas.py has no such block`);
    return {
      ...base,
      kvHeads,
      headDim,
      // The latency model's uniform description: the mean FFN width over the layers that have one.
      intermediate: meanWidth,
      moe: null,
      mla: null,
      qkvBias: bias,
      attention,
      layerKv,
      layerParams,
      assumptions,
    };
  },
};
