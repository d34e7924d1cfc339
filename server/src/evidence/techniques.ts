/**
 * Which technique family a proposed change applies, decided by the change itself: a finding cites the papers that
 * study what its fix changes (FP8 KV → KV quantization, a shorter max-model-len → context length), never a paper about
 * something else. Rules, fixes (rules/fixes.ts) and hovers all take their technique from here.
 */
import type { EngineKnobs, HardwareChange } from '../plan/types';
import type { FamilyId } from './families';

/**
 * The family each knob's change applies; `undefined` where no family fits (the compute dtype, CUDA graphs, the
 * block size, the overlap scheduler): such a change cites nothing.
 */
export const KNOB_TECHNIQUE: Record<keyof EngineKnobs, FamilyId | undefined> = {
  kvCacheDtype: 'kv-quantization',
  quantization: 'weight-quantization',
  tensorParallel: 'parallelism',
  pipelineParallel: 'parallelism',
  dataParallel: 'data-parallelism',
  attentionDataParallel: 'data-parallelism',
  expertParallel: 'expert-parallelism',
  enablePrefixCaching: 'prefix-caching',
  enableChunkedPrefill: 'chunked-prefill',
  maxNumBatchedTokens: 'chunked-prefill',
  mixedChunk: 'chunked-prefill',
  speculative: 'speculative-decoding',
  maxNumSeqs: 'continuous-batching',
  maxModelLen: 'context-length',
  gpuMemoryUtilization: 'memory-utilization',
  cpuOffloadGb: 'offloading',
  hostKvCache: 'offloading',
  // V0 swap space: engine accounting, no technique.
  swapSpace: undefined,
  dtype: undefined,
  enforceEager: undefined,
  cudaGraphMaxBatch: undefined,
  disableOverlap: undefined,
  asyncScheduling: undefined,
  schedulerRecvInterval: undefined,
  // When the first streamed chunk leaves: engine response handling, no technique.
  streamInterval: undefined,
  postprocessWorkers: undefined,
  attentionDpBalance: undefined,
  attentionDpTimeoutIters: undefined,
  attentionDpBatchingWaitIters: undefined,
  blockSize: undefined,
  // A RoPE-scaling override (YaRN) extends the positions the model accepts; no seed paper studies it.
  ropeScaling: undefined,
  // Hybrid models' state pool and its dtype: engine accounting, no seed paper studies it.
  mambaSsmDtype: undefined,
  mambaFullMemoryRatio: undefined,
  maxMambaCacheSize: undefined,
  // LoRA slot limits: engine accounting (the S-LoRA / Punica papers are not in the seed set).
  lora: undefined,
  maxLoras: undefined,
  maxLoraRank: undefined,
  // Multimodal encoder settings: engine accounting, no seed paper studies them.
  mmLimits: undefined,
  mmProcessorKwargs: undefined,
  mmEncoderTpMode: undefined,
  languageModelOnly: undefined,
  skipMmProfiling: undefined,
  // Pooling vs generation runner: which task the model serves, not an efficiency technique.
  pooling: undefined,
};

/** A change of GPU type is a hardware choice; more GPUs per replica go with the parallelism that spreads the model. */
export function hardwareTechnique(hardware: HardwareChange | undefined): FamilyId | undefined {
  if (!hardware) return undefined;
  if (hardware.gpu) return 'hardware-choice';
  if (hardware.gpusPerReplica) return 'parallelism';
  return undefined;
}

/**
 * Which family leads when a fix changes several things, whatever order it lists them in: the change that carries the
 * fix (more GPUs, fewer weight bits) before those that ride along (FP8 KV with FP8 weights, the GPU count with TP).
 */
const LEAD_ORDER: FamilyId[] = [
  'parallelism', 'weight-quantization', 'kv-quantization', 'data-parallelism', 'expert-parallelism', 'context-length', 'speculative-decoding',
  'prefix-caching', 'chunked-prefill', 'continuous-batching', 'memory-utilization', 'hardware-choice',
];
const rank = (f: FamilyId) => (LEAD_ORDER.includes(f) ? LEAD_ORDER.indexOf(f) : LEAD_ORDER.length);

/**
 * Every family a set of changes applies, each once, the leading one first. FP8 weights + FP8 KV →
 * [weight-quantization, kv-quantization]; TP 2 with a second GPU → [parallelism].
 */
export function techniquesFor(changes: ReadonlyArray<{ knob: keyof EngineKnobs }>, hardware?: HardwareChange): FamilyId[] {
  const out: FamilyId[] = [];
  for (const t of [...changes.map((c) => KNOB_TECHNIQUE[c.knob]), hardwareTechnique(hardware)]) if (t && !out.includes(t)) out.push(t);
  return out.sort((a, b) => rank(a) - rank(b));
}

/** The family a fix cites: its leading change's (a combination of FP8 weights and FP8 KV cites weight quantization). */
export function techniqueFor(changes: ReadonlyArray<{ knob: keyof EngineKnobs }>, hardware?: HardwareChange): FamilyId | undefined {
  return techniquesFor(changes, hardware)[0];
}
