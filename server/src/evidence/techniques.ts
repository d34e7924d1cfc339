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
  dtype: undefined,
  enforceEager: undefined,
  disableOverlap: undefined,
  blockSize: undefined,
};

/** A change of GPU type is a hardware choice; more GPUs per replica go with the parallelism that spreads the model. */
export function hardwareTechnique(hardware: HardwareChange | undefined): FamilyId | undefined {
  if (!hardware) return undefined;
  if (hardware.gpu) return 'hardware-choice';
  if (hardware.gpusPerReplica) return 'parallelism';
  return undefined;
}

/**
 * Every family a set of changes applies, in the order of the changes (knobs first, then the hardware they need), each
 * once. FP8 weights + FP8 KV → [weight-quantization, kv-quantization]; TP 2 with a second GPU → [parallelism].
 */
export function techniquesFor(changes: ReadonlyArray<{ knob: keyof EngineKnobs }>, hardware?: HardwareChange): FamilyId[] {
  const out: FamilyId[] = [];
  for (const t of [...changes.map((c) => KNOB_TECHNIQUE[c.knob]), hardwareTechnique(hardware)]) if (t && !out.includes(t)) out.push(t);
  return out;
}

/** The family a fix cites: that of its first change that has one (a combination cites its leading change). */
export function techniqueFor(changes: ReadonlyArray<{ knob: keyof EngineKnobs }>, hardware?: HardwareChange): FamilyId | undefined {
  return techniquesFor(changes, hardware)[0];
}
