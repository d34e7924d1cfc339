/**
 * Engine defaults for the version, GPU and context + the file's knobs → the serving settings the estimate runs:
 * engine version, parallel layout, batch and memory knobs, weight and KV formats. Invalid values are reported (the
 * engine rejects them) and replaced by the default.
 */
import type { GpuSpec } from '../catalog/gpus';
import type { DeploymentPlan, Provenance } from '../plan/types';
import { derivedMaxLen } from './contextLength';
import { dataParallelLayout, DataParallelLayout } from './dataParallel';
import { engines } from './engines';
import { sglangFractionNote } from './engines/sglang';
import { compareMinor, EngineModel, parseVersion, ResolvedKnobs } from './engines/types';
import type { IssueLog } from './issues';
import type { Parallelism } from './memory';
import type { ModelSpec } from './model';
import { inSixteenBit, sixteenBitOn } from './sixteenBit';
import { asFp32, isFp32, KvDtype, kvDtypeBytes, kvDtypeFrom, kvDtypeKnown, quantizationModelled, WeightFormat, weightFormatFromFlag } from './quantization';

export const positiveInt = (v: number | undefined, fallback: number, max = 1 << 30): number =>
  v !== undefined && Number.isFinite(v) && v >= 1 ? Math.min(Math.floor(v), max) : fallback;

export interface ResolvedEngine {
  engine: EngineModel;
  /** The version as reported: the file's, or the newest modelled when it names none. */
  versionText: string;
  /** The version whose behaviour is estimated (clamped to the oldest modelled). */
  version: number[];
}

export function resolveEngine(plan: DeploymentPlan, log: IssueLog): ResolvedEngine {
  const engineName = plan.engine.name.value;
  const engine = engines[engineName];
  const numbered = /\d+\.\d+/.test(plan.engine.version?.value ?? '');
  // A version without a number (`latest`) is the newest release: reported and estimated as the newest modelled.
  const versionText = numbered ? plan.engine.version!.value : engine.newestVersion;
  let version = parseVersion(versionText, engine.newestVersion);
  const newest = parseVersion(engine.newestVersion, engine.newestVersion);
  const oldest = engine.oldestVersion ? parseVersion(engine.oldestVersion, engine.oldestVersion) : undefined;
  const imageNote = plan.engine.image?.note;
  if (!plan.engine.version) log.assume(`${engineName} ${engine.newestVersion} behaviour (newest modelled${imageNote ? `, since ${imageNote}` : ''}; set engine-version= in a # deploy-advisor: comment or deployAdvisor.engineVersion to compare)`);
  else if (!numbered) log.assume(`${engineName} version "${plan.engine.version.value}" has no number: ${engine.newestVersion} behaviour (newest modelled)`);
  else if (compareMinor(version, newest) > 0) log.assume(`${engineName} ${versionText} is newer than the newest modelled (${engine.newestVersion}): ${engine.newestVersion} behaviour`);
  else if (oldest && compareMinor(version, oldest) < 0) {
    log.assume(`${engineName} ${versionText} is older than the oldest modelled (${engine.oldestVersion}): ${engine.oldestVersion} behaviour`);
    version = oldest;
  }
  return { engine, versionText, version };
}

export interface ResolvedLayout {
  /** Tensor parallel as configured (with DP attention the data-parallel ranks split these GPUs). */
  tp: number;
  pp: number;
  ep: number;
  dp: DataParallelLayout;
  par: Parallelism;
  /** GPUs in one replica. */
  count: number;
}

export function resolveLayout(plan: DeploymentPlan, model: ModelSpec, log: IssueLog): ResolvedLayout {
  const k = plan.knobs;
  const countGiven = plan.hardware.count?.value;
  let tp = positiveInt(k.tensorParallel?.value, 0, 4096);
  const pp = positiveInt(k.pipelineParallel?.value, 1, 1024);
  if (k.tensorParallel && tp === 0) log.refuse('invalid-value', `tensor parallel size must be a positive integer (got ${k.tensorParallel.value})`, k.tensorParallel.source);
  if (k.pipelineParallel && !(k.pipelineParallel.value >= 1)) log.refuse('invalid-value', `pipeline parallel size must be a positive integer (got ${k.pipelineParallel.value})`, k.pipelineParallel.source);
  const dpRanks = positiveInt(k.dataParallel?.value, 1, 1024);
  if (k.dataParallel && !(k.dataParallel.value >= 1)) log.refuse('invalid-value', `data parallel size must be a positive integer (got ${k.dataParallel.value})`, k.dataParallel.source);
  // DP attention (SGLang, TensorRT-LLM; dataParallel.ts) splits the tensor-parallel GPUs into ranks instead of adding GPUs.
  const attentionDp = k.attentionDataParallel?.value === true;
  if (tp === 0) {
    const perRank = attentionDp ? 1 : dpRanks;
    tp = countGiven && countGiven >= 1 ? Math.max(1, Math.floor(countGiven / pp / perRank)) : 1;
    if (countGiven && countGiven > 1) log.assume(`tensor parallel ${tp}: the replica's ${countGiven} GPUs used as tensor parallel`);
  }
  const dp = dataParallelLayout(plan.engine.name.value, tp, dpRanks, attentionDp, !!model.moe);
  if (dp.note) log.assume(dp.note);
  if (dp.problem) log.refuse('invalid-value', dp.problem, k.dataParallel?.source ?? k.attentionDataParallel?.source);
  const ep = model.moe ? positiveInt(k.expertParallel?.value, 1, 4096) : 1;
  const par: Parallelism = { tp: dp.tp, pp, ep, dp: dp.ranks, dpShared: dp.shared };
  const count = dp.tp * pp * dp.ranks;
  if (countGiven && countGiven !== count && countGiven >= 1) {
    log.bad('gpu-count-mismatch', `The replica has ${countGiven} GPU(s) but ${dp.ranks > 1 ? 'tensor × pipeline × data' : 'tensor × pipeline'} parallel uses ${count}.`, plan.hardware.count?.source, 'warning');
  }
  if (model.moe && ep > 1 && ep > model.moe.numExperts) log.refuse('invalid-value', `expert parallel ${ep} exceeds the ${model.moe.numExperts} experts`, k.expertParallel?.source);
  return { tp, pp, ep, dp, par, count };
}

export interface ServingKnobs {
  knobs: ResolvedKnobs;
  /** The longest max length the engine accepts for this model as configured (RoPE scaling and overrides applied). */
  contextLimit: number;
  maxModelLen: number;
  /** The batch cap as set (SGLang's is server-wide under DP attention); `knobs.maxNumSeqs` is one rank's. */
  maxNumSeqsSet: number;
}

export function resolveServingKnobs(plan: DeploymentPlan, model: ModelSpec, gpu: GpuSpec, e: ResolvedEngine, layout: ResolvedLayout, log: IssueLog): ServingKnobs {
  const k = plan.knobs;
  const { engine } = e;
  const pick = <T>(s: { value: T } | undefined, def: T, name: string, valid: (v: T) => boolean): T => {
    if (s === undefined) return def;
    if (!valid(s.value)) {
      log.refuse('invalid-value', `${name} = ${String(s.value)} is not valid (the engine rejects it); estimated with the default ${String(def)}`, (s as { source?: Provenance }).source);
      return def;
    }
    return s.value;
  };
  // The engine's own default is the length it derives; a RoPE override (YaRN) written in the file lengthens it.
  const contextLimit = derivedMaxLen(engine.name, model, k.ropeScaling?.value);
  const maxModelLen = pick(k.maxModelLen, k.ropeScaling ? contextLimit : model.maxPositions, engine.knobNames.maxModelLen, (v) => Number.isFinite(v) && v >= 1 && v <= 1e9);
  if (!k.maxModelLen) log.assume(`${engine.knobNames.maxModelLen} ${maxModelLen} from the model's ${k.ropeScaling ? 'RoPE scaling override' : 'max_position_embeddings'}`);
  const d: ResolvedKnobs = engine.defaults(gpu, e.version, layout.tp, layout.pp, maxModelLen, {
    speculativeMethod: k.speculative?.value.method,
    attentionDpRanks: layout.dp.ranks > 1 && k.attentionDataParallel?.value ? layout.dp.ranks : undefined,
    // A language-only launch (every modality limit 0) still gets the adjustment: SGLang reads the config, not the limits.
    vision: model.visionConfig,
    architecture: model.architecture,
    chunkedPrefillSize: k.maxNumBatchedTokens?.value,
    cudaGraphMaxBs: k.cudaGraphMaxBatch?.value || undefined,
  });
  const autoFraction = engine.name === 'sglang' && !k.gpuMemoryUtilization ? sglangFractionNote(d.gpuMemoryUtilization, { speculativeMethod: k.speculative?.value.method, vision: model.visionConfig }) : undefined;
  if (autoFraction) log.assume(autoFraction);
  const util = pick(k.gpuMemoryUtilization, d.gpuMemoryUtilization, engine.knobNames.utilization, (v) => v > 0 && v <= 1);
  const chunked = k.enableChunkedPrefill?.value ?? d.chunkedPrefill;
  let mnbt = pick(k.maxNumBatchedTokens, d.maxNumBatchedTokens, engine.knobNames.maxNumBatchedTokens, (v) => Number.isFinite(v) && v >= 1 && v <= 1e9);
  if (!chunked && engine.name === 'vllm' && !k.maxNumBatchedTokens) mnbt = Math.max(mnbt, maxModelLen);
  const maxNumSeqsSet = Math.min(pick(k.maxNumSeqs, d.maxNumSeqs, engine.knobNames.maxNumSeqs, (v) => Number.isFinite(v) && v >= 1 && v <= 1e7), engine.name === 'vllm' ? mnbt : Infinity);
  // One rank's cap (the engine default is already per rank).
  const maxNumSeqs = layout.dp.seqCapCountsAllRanks && k.maxNumSeqs ? Math.max(1, Math.floor(maxNumSeqsSet / layout.dp.ranks)) : maxNumSeqsSet;
  const knobs: ResolvedKnobs = {
    ...d, gpuMemoryUtilization: util, maxNumSeqs, maxNumBatchedTokens: mnbt, chunkedPrefill: chunked,
    // vLLM turns prefix caching off for hybrid (recurrent) models unless asked (config/model.py is_prefix_caching_supported).
    prefixCaching: k.enablePrefixCaching?.value ?? (engine.name === 'vllm' && model.recurrent ? false : d.prefixCaching), cudaGraphs: !(k.enforceEager?.value ?? !d.cudaGraphs),
    blockSize: positiveInt(k.blockSize?.value, d.blockSize, 1024),
    // TensorRT-LLM's cuda_graph_config.max_batch_size 0 is its "use the default" value.
    cudaGraphMaxBatch: pick(k.cudaGraphMaxBatch?.value === 0 ? undefined : k.cudaGraphMaxBatch, d.cudaGraphMaxBatch ?? Infinity, engine.knobNames.cudaGraphMaxBatch ?? 'CUDA-graph batch cap', (v) => Number.isInteger(v) && v >= 1),
    scheduling: k.mixedChunk?.value ? 'mixed' : undefined,
    overlapScheduling: engine.name === 'vllm' && k.asyncScheduling ? k.asyncScheduling.value : d.overlapScheduling && !(k.disableOverlap?.value ?? false),
    recvInterval: engine.name === 'sglang' ? pick(k.schedulerRecvInterval, 1, 'scheduler-recv-interval', (v) => Number.isInteger(v) && v >= 1) : undefined,
    firstChunkIterations: engine.name === 'trtllm' ? trtllmFirstChunkIterations(k, pick, log) : undefined,
    attentionDpBalance: engine.name === 'trtllm' && layout.dp.ranks > 1 && k.attentionDataParallel?.value ? trtllmAttentionDpBalance(k, layout.dp.ranks, pick, log) : undefined,
  };
  return { knobs, contextLimit, maxModelLen, maxNumSeqsSet };
}

export interface ResolvedFormats {
  format: WeightFormat;
  kvDtype: KvDtype;
  /** Bytes per KV element. */
  kvElem: number;
}

export function resolveFormats(plan: DeploymentPlan, model: ModelSpec, gpu: GpuSpec, log: IssueLog): ResolvedFormats {
  const k = plan.knobs;
  const fp32 = isFp32(k.dtype?.value);
  const quantized = k.quantization ? weightFormatFromFlag(k.quantization.value, model.weightFormat) : model.weightFormat;
  // No bf16 tensor cores (V100, T4): the engine loads a bf16 checkpoint as fp16, or refuses an explicit bfloat16.
  const half = sixteenBitOn(gpu, model.dtype, k.dtype?.value, plan.engine.name.value);
  if (half.refused) log.refuse('invalid-value', half.refused, k.dtype?.source);
  const format = inSixteenBit(fp32 ? asFp32(quantized) : quantized, half.dtype);
  log.assume(...format.notes, ...(half.assumption ? [half.assumption] : []));
  if (k.quantization && !quantizationModelled(k.quantization.value, model.weightFormat)) {
    log.bad('unmodelled-quantization', `Quantization "${k.quantization.value}" is not modelled; weights are estimated in the checkpoint's format (${model.weightFormat.name}).`, k.quantization.source, 'warning');
  }
  if (k.kvCacheDtype && !kvDtypeKnown(k.kvCacheDtype.value)) {
    log.bad('unknown-kv-dtype', `KV cache dtype "${k.kvCacheDtype.value}" is not a KV cache type Deploy Advisor knows; the KV cache is estimated in 16 bits.`, k.kvCacheDtype.source, 'warning');
  }
  let kvDtype = kvDtypeFrom(k.kvCacheDtype?.value, { ...model, dtype: half.dtype }, fp32);
  if (model.kvDtypeFixed && kvDtype !== model.kvDtypeFixed.dtype) {
    log.bad('kv-dtype-fixed', `KV cache dtype ${kvDtype} is not what runs: ${model.kvDtypeFixed.why}; estimated in ${model.kvDtypeFixed.dtype}.`, k.kvCacheDtype?.source, 'warning');
    kvDtype = model.kvDtypeFixed.dtype;
  }
  if (kvDtype === 'fp8' && !gpu.native.includes('fp8')) {
    log.bad('kv-dtype-not-native', `FP8 KV cache on ${gpu.id} (${gpu.arch}) has no native FP8 tensor cores: it is stored in FP8 but dequantized for attention, which is slower.`, k.kvCacheDtype?.source, 'warning');
  }
  if (format.compute === 'fp8' && !format.weightOnly && !gpu.native.includes('fp8')) {
    log.bad('quant-not-native', `FP8 weights on ${gpu.id} (${gpu.arch}) run as weight-only FP8 (Marlin) kernels: memory halves but math stays 16-bit.`, k.quantization?.source ?? plan.model.ref.source, 'info');
  }
  return { format, kvDtype, kvElem: kvDtypeBytes(kvDtype) };
}

/**
 * TensorRT-LLM's stream_interval holds a streaming request's responses back to every N-th iteration, the first one
 * included, unless num_postprocess_workers hand responses to worker processes. Inferred from the InferenceX runs
 * (../shared/calibration/serving-measurements-launch.csv, c ≤ 16), not read in the engine's code: at stream_interval 10
 * without workers (DeepSeek-R1, TensorRT-LLM 1.1–1.2) the measured TTFT sits 8–12 measured TPOTs above the estimate
 * without MTP, and ≈ 9 iterations with MTP (12–48 TPOTs at 2–3 tokens an iteration); at stream_interval 20 with 4
 * workers (gpt-oss-120b, 1.2) it sits 1–6 TPOTs above, no 19-iteration hold. vLLM streams the first token at once
 * whatever its --stream-interval (v1 output_processor.py make_request_output), so only TensorRT-LLM gets the hold.
 */
function trtllmFirstChunkIterations(k: DeploymentPlan['knobs'], pick: <T>(s: { value: T } | undefined, def: T, name: string, valid: (v: T) => boolean) => T, log: IssueLog): number {
  const interval = pick(k.streamInterval, 1, 'stream_interval', (v) => Number.isInteger(v) && v >= 1 && v <= 1e6);
  const workers = pick(k.postprocessWorkers, 0, 'num_postprocess_workers', (v) => Number.isInteger(v) && v >= 0 && v <= 1024);
  if (interval <= 1) return 0;
  if (workers > 0) {
    log.assume(`stream_interval ${interval} with ${workers} postprocess worker(s): the first token streams at once (inferred from measured runs)`);
    return 0;
  }
  log.assume(`stream_interval ${interval} without postprocess workers: a streaming request's first chunk leaves after ${interval - 1} more iterations, so a streaming client's TTFT includes ${interval - 1} decode steps (inferred from measured runs)`);
  return interval - 1;
}

/**
 * TensorRT-LLM's attention-DP balancing (attention_dp_config, AttentionDpConfig defaults timeout_iters 50,
 * batching_wait_iters 10, off): each iteration the ranks all-gather their scheduled context and generation counts; while
 * some rank has no new prompt (and every rank decodes), every rank holds its new prompts, up to timeout_iters
 * iterations, so that the ranks prefill in the same step and none waits on another's prompt inside the MoE layers.
 */
function trtllmAttentionDpBalance(k: DeploymentPlan['knobs'], ranks: number, pick: <T>(s: { value: T } | undefined, def: T, name: string, valid: (v: T) => boolean) => T, log: IssueLog): ResolvedKnobs['attentionDpBalance'] {
  if (!k.attentionDpBalance?.value) return undefined;
  const iters = (v: number) => Number.isInteger(v) && v >= 0 && v <= 1e6;
  const timeoutIters = pick(k.attentionDpTimeoutIters, 50, 'attention_dp_config.timeout_iters', iters);
  const batchingWaitIters = pick(k.attentionDpBatchingWaitIters, 10, 'attention_dp_config.batching_wait_iters', iters);
  log.assume(`attention_dp_config.enable_balance over ${ranks} attention-DP ranks: a new prompt waits until every rank has one (at most ${timeoutIters} iterations)${batchingWaitIters ? `, then ${batchingWaitIters} more` : ''}, the ranks' arrivals taken as evenly spread`);
  return { ranks, timeoutIters, batchingWaitIters };
}
