/**
 * How each engine lays out data-parallel ranks inside one replica (what a rank owns, what the ranks share).
 * - vLLM --data-parallel-size N: N engine cores of TP GPUs each, own scheduler and KV cache; for MoE models the
 *   expert layers form one group over TP × DP GPUs (EP when --enable-expert-parallel, else TP-split experts).
 * - SGLang --dp-size N: N independent TP groups behind one router. With --enable-dp-attention the N attention ranks
 *   split the tp-size GPUs instead (attention TP = tp / dp) and the MoE/MLP layers run over all tp-size GPUs.
 * - TensorRT-LLM enable_attention_dp: every one of the tensor_parallel_size GPUs is its own attention rank; MoE layers
 *   span them all (moe_tensor_parallel × moe_expert_parallel).
 * The max-num-seqs knob is each rank's, except SGLang's --max-running-requests under DP attention: the server's, which
 * TpModelWorker divides by dp-size.
 */
import type { EngineName } from '../plan/types';

export interface DataParallelLayout {
  /** Tensor parallel inside one rank (attention, dense layers, KV heads). */
  tp: number;
  ranks: number;
  shared?: 'experts' | 'mlp';
  /** The engine's max-num-seqs knob counts every rank's requests (each rank runs its share). */
  seqCapCountsAllRanks?: boolean;
  note?: string;
  problem?: string;
}

export function dataParallelLayout(engine: EngineName, tp: number, dp: number, attentionDp: boolean, moe: boolean): DataParallelLayout {
  if (attentionDp && engine === 'trtllm') {
    return { tp: 1, ranks: tp, shared: 'mlp', note: tp > 1 ? `attention data parallel: each of the ${tp} GPUs serves its own requests with its own KV cache; MoE, MLP and LM-head layers span all ${tp}` : undefined };
  }
  if (attentionDp && engine === 'sglang' && dp > 1) {
    if (tp % dp !== 0) return { tp, ranks: 1, problem: `DP attention needs dp-size (${dp}) to divide tp-size (${tp}); estimated without it` };
    return { tp: tp / dp, ranks: dp, shared: 'mlp', seqCapCountsAllRanks: true, note: `DP attention: ${dp} attention ranks of ${tp / dp} GPU(s), each with its own requests and KV cache; MoE, MLP and LM-head layers span all ${tp} GPUs` };
  }
  if (dp <= 1 || engine === 'tgi') return { tp, ranks: 1 };
  const shares = engine === 'vllm' && moe;
  return {
    tp, ranks: dp, shared: shares ? 'experts' : undefined,
    note: `data parallel ${dp}: ${dp} ranks of ${tp} GPU(s), each with its own scheduler and KV cache, requests split evenly${shares ? `; the MoE layers span all ${tp * dp} GPUs` : ''}`,
  };
}
