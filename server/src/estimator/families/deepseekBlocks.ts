/**
 * DeepSeek-V2/V3 building blocks that the 2026 MLA families reuse (DeepSeek-V3.2, GLM-5.x, Kimi-Linear / Kimi-K3,
 * GLM-4.5's MoE and MTP): MLA attention, the routed-MoE block with shared experts, and the MTP wrapper, each split the
 * way vLLM shards it. Source: vllm@9aaf83ef:vllm/model_executor/models/deepseek_v2.py (MLA 818-1067, MoE 245-389,
 * layers 1070-1201) and deepseek_mtp.py; the research note on 2026 architectures, §2.3-2.4.
 */
import type { LayerKv, LayerParams, MlaShape } from '../modelSpec';

export const emptyLayer = (kvHeads: number): LayerParams => ({ attention: 0, kvProj: 0, kvHeads, replicated: 0, mlp: 0, experts: 0, activeExperts: 0, router: 0, norms: 0 });

/** Every parameter of one layer (what an MTP layer adds when it is loaded). */
export const layerTotal = (l: LayerParams): number => l.attention + l.kvProj + l.replicated + l.mlp + l.experts + l.router + l.norms;

/** MLA attention of one layer: sharded (q_b / q_proj, kv_b, o), replicated, norms. */
export interface MlaParams {
  sharded: number;
  replicated: number;
  norms: number;
}

/**
 * MLA as vLLM builds it. q_a and kv_a are fused into one GEMM that every rank holds whole
 * (DeepSeekV2FusedQkvAProjLinear, disable_tp, deepseek_v2.py:818-862); without a q LoRA (Kimi-Linear-48B) q_proj is
 * column-parallel and kv_a_proj_with_mqa a ReplicatedLinear. q_b / kv_b are column-parallel, o_proj row-parallel; the
 * two LoRA norms are replicated vectors.
 */
export function mlaParams(hidden: number, heads: number, a: MlaShape): MlaParams {
  const qHead = a.qkNopeHeadDim + a.qkRopeHeadDim;
  const q = a.qLoraRank ? a.qLoraRank * heads * qHead : hidden * heads * qHead;
  const kvB = a.kvLoraRank * heads * (a.qkNopeHeadDim + a.vHeadDim);
  const o = heads * a.vHeadDim * hidden;
  const replicated = hidden * (a.kvLoraRank + a.qkRopeHeadDim) + (a.qLoraRank ? hidden * a.qLoraRank : 0);
  const norms = a.kvLoraRank + (a.qLoraRank ?? 0);
  return { sharded: q + kvB + o, replicated, norms };
}

/** MLA's cache: one latent of kv_lora_rank + rope values per token, the same on every TP rank (never split). */
export const mlaLatentKv = (a: MlaShape): LayerKv => ({ elements: a.kvLoraRank + a.qkRopeHeadDim, heads: 1 });

export interface MoeBlock {
  hidden: number;
  experts: number;
  topK: number;
  expertIntermediate: number;
  /** Shared experts' total width (n_shared × moe_intermediate_size). */
  sharedIntermediate: number;
  /** Per-expert bias of the router (DeepSeek-V3 e_score_correction_bias, fp32). */
  routerBias: boolean;
}

/** A DeepSeek MoE layer: gate (+ correction bias), shared experts (column/row-parallel), routed experts (SwiGLU). */
export function moeParams(b: MoeBlock): Pick<LayerParams, 'mlp' | 'experts' | 'activeExperts' | 'router'> {
  const perExpert = 3 * b.hidden * b.expertIntermediate;
  return {
    mlp: 3 * b.hidden * b.sharedIntermediate,
    experts: b.experts * perExpert,
    activeExperts: b.topK * perExpert,
    router: b.hidden * b.experts + (b.routerBias ? b.experts : 0),
  };
}

/**
 * What DeepSeek's MTP module adds around its decoder layer (DeepSeekMultiTokenPredictorLayer: enorm, hnorm, eh_proj
 * 2d → d, shared_head.norm; the embedding and head are the main model's): vllm@9aaf83ef:deepseek_mtp.py, and the
 * same layout in glm4_moe_mtp.py.
 */
export const mtpWrapperParams = (hidden: number): number => 2 * hidden * hidden + 3 * hidden;
