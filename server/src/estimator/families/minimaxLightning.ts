/**
 * MiniMax-M1 / MiniMax-Text-01 (`minimax_m1`, `minimax_text_01`; vLLM's MiniMaxText01ForCausalLM): lightning linear
 * attention on the layers `attn_type_list` marks 0, softmax GQA on those marked 1, a routed MoE on every layer.
 * Read from vLLM's vllm/model_executor/models/minimax_text_01.py (MiniMaxText01LinearAttention,
 * MiniMaxText01Attention, MiniMaxText01MoE, MiniMaxText01DecoderLayer) as remembered — the research note did not
 * analyse this file, so no commit/lines are cited; the shapes below reproduce the published 456 B total.
 */
import { ModelConfigError } from '../modelConfigError';
import type { LayerAttention, LayerParams, RecurrentState } from '../modelSpec';
import { type FamilyReader, num } from './types';

export const minimaxLightning: FamilyReader = {
  name: 'MiniMax-M1 / Text-01 (lightning linear attention + softmax attention, MoE)',
  matches: (modelType, arch) => modelType === 'minimax_m1' || modelType === 'minimax_text_01' || arch === 'MiniMaxText01ForCausalLM' || arch === 'MiniMaxM1ForCausalLM',
  read(base, c) {
    const L = base.layers;
    const d = base.hidden;
    const H = base.heads;
    const hd = base.headDim;
    const types = Array.isArray(c.attn_type_list) ? (c.attn_type_list as unknown[]) : null;
    if (!types || types.length !== L) throw new ModelConfigError(`MiniMax-M1 config needs attn_type_list with one entry per layer (${L})`);
    const experts = num(c.num_local_experts) ?? 1;
    const topK = num(c.num_experts_per_tok) ?? 1;
    const inter = num(c.intermediate_size) ?? base.intermediate;
    const shared = num(c.shared_intermediate_size) ?? 0;

    const attention: LayerAttention[] = [];
    const layerParams: LayerParams[] = [];
    for (const t of types) {
      const linear = t === 0;
      attention.push(linear ? { kind: 'recurrent' } : { kind: 'full' });
      layerParams.push({
        // Linear: qkv_proj (3·H·hd) + output_gate (H·hd) column-parallel, out_proj row-parallel, and the output norm
        // over H·hd (MiniMaxText01RMSNormTP, TP-sharded). Softmax: q/o, no biases, no q/k norms.
        attention: linear ? 3 * d * H * hd + d * H * hd + H * hd * d + H * hd : 2 * d * H * hd,
        kvProj: linear ? 0 : 2 * d * base.kvHeads * hd,
        kvHeads: base.kvHeads,
        replicated: 0,
        // Optional shared MLP (shared_intermediate_size > 0), mixed in by a one-output `coefficient` linear.
        mlp: shared > 0 ? 3 * d * shared : 0,
        experts: experts * 3 * d * inter,
        activeExperts: topK * 3 * d * inter,
        // Gate (ReplicatedLinear in fp32 in vLLM; counted 16-bit like every router), + coefficient with a shared MLP.
        router: d * experts + (shared > 0 ? d : 0),
        norms: 2 * d,
      });
    }
    // State per linear layer and request: one (heads/TP, head_dim, head_dim) KV-outer-product matrix, no conv state
    // (MambaStateShapeCalculator.linear_attention_state_shape). Its dtype in vLLM V1 is the model dtype unless
    // --mamba-cache-dtype says otherwise (MambaStateDtypeCalculator.linear_attention_state_dtype; it refuses float32);
    // vLLM V0's MinimaxCacheManager kept it in float32 (twice this). Assumed: V1, 16-bit.
    const recurrent: RecurrentState = {
      kind: 'lightning',
      convRows: 0,
      convChannels: 0,
      stateElements: H * hd * hd,
      convDtypeBytes: 2,
      stateDtypeBytes: 2,
      dtypeSource: 'vLLM V1 keeps the lightning-attention state in the model dtype (linear_attention_state_dtype); V0 kept float32',
    };
    return {
      ...base,
      intermediate: inter,
      attention,
      layerParams,
      recurrent,
      moe: { numExperts: experts, topK, expertIntermediate: inter, sharedIntermediate: shared, moeLayers: Array.from({ length: L }, () => true), expertBias: false },
      assumptions: [...base.assumptions, `lightning-attention state assumed in the model dtype (vLLM V1); vLLM V0 kept it in float32 (twice the state)`],
    };
  },
};
