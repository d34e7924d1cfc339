/** The optimizer's plan shape: the CLI's `optimize --json` contract and the editor's Find Cheapest Plan. */

/** One deployment the search found; field names are the CLI's `--json` contract. */
export interface PlanRow {
  engine: 'vllm' | 'sglang' | 'trtllm' | 'tgi' | 'tei';
  gpu: string;
  gpusPerReplica: number;
  replicas: number;
  tensorParallel: number;
  pipelineParallel: number;
  expertParallel: number;
  /** Not in the contract list: attention data-parallel ranks (SGLang --enable-dp-attention with dp-size,
   *  TensorRT-LLM enable_attention_dp) splitting the tensorParallel GPUs; 1 = plain tensor parallel attention. */
  attentionDataParallel: number;
  weightDtype: string;
  kvCacheDtype: string;
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  /** Not in the contract list: the context length the plan was sized for (needed to reproduce it). */
  maxModelLen: number;
  ttftMs: number;
  tpotMs: number;
  outputTokensPerSec: number;
  costPerHour: number;
  costPerMillionOutputTokens: number;
  meetsSlo: boolean;
  /** Not in the contract list (additive): the plan runs on the GPU type the file (or a setting) names; such
   *  plans are listed first. False when the file names no GPU. */
  onFileGpu?: boolean;
}


/** A plan's identity (everything that distinguishes one search result from another), e.g. for the report's *Apply*. */
export function planKey(p: PlanRow): string {
  return [p.engine, p.gpu, p.gpusPerReplica, p.replicas, p.tensorParallel, p.pipelineParallel, p.expertParallel, p.attentionDataParallel, p.weightDtype, p.kvCacheDtype, p.maxNumSeqs, p.maxNumBatchedTokens].join('/');
}

/** A plan's parallel layout as the report, the CLI and the plan picker show it ("TP 8 EP 8 DP-attention 8"). */
export function planLayout(p: Pick<PlanRow, 'tensorParallel' | 'pipelineParallel' | 'expertParallel' | 'attentionDataParallel'>): string {
  return [
    `TP ${p.tensorParallel}`,
    p.pipelineParallel > 1 ? `PP ${p.pipelineParallel}` : '',
    p.expertParallel > 1 ? `EP ${p.expertParallel}` : '',
    p.attentionDataParallel > 1 ? `DP-attention ${p.attentionDataParallel}` : '',
  ].filter(Boolean).join(' ');
}
