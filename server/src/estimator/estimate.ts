/**
 * DeploymentPlan → Estimate: memory per GPU with the engine's own KV sizing, KV capacity, and steady-state latency.
 * Pure: no editor, file-system or network access. Never throws for bad input — problems become `issues`.
 */
import { defaultGpuId, GpuCatalog, GpuSpec } from '../catalog/gpus';
import { catalogConfig, nearestCatalogId } from '../catalog/models';
import { engineLabels } from '../plan/types';
import type { DeploymentPlan, EngineName, Provenance } from '../plan/types';
import { engines } from './engines';
import { compareMinor, parseVersion, ResolvedKnobs } from './engines/types';
import { BENCHMARK_ROUNDS, buildStepModel, MEASURED_MEDIAN_ERROR_PCT, servingLatency } from './latency';
import {
  cudaGraphBytes, GiB, kvBytesForRequestPerGpu, kvBytesPerToken, kvBytesPerTokenPerGpu, maxModelLenThatFits, nonTorchBytes, Parallelism, settableMaxModelLen, tensorParallelProblem, weightBytesPerGpu,
} from './memory';
import { countParams, ModelConfigError, modelFromConfig, ModelSpec } from './model';
import { speculation } from './speculative';
import { unmodelledMessage } from './unmodelledFields';
import { derivedMaxLen, longContextPolicy } from './contextLength';
import { dataParallelLayout } from './dataParallel';
import { asFp32, isFp32, kvDtypeBytes, kvDtypeFrom, kvDtypeKnown, quantizationModelled, weightFormatFromFlag } from './quantization';

export type Severity = 'error' | 'warning' | 'info';

/** A problem the estimator itself found (the rules layer turns these and the numbers into findings). */
export interface EstimateIssue {
  code: string;
  severity: Severity;
  message: string;
  /** Where the offending value came from, when known. */
  source?: Provenance;
  /** The value it most likely meant (a catalog id one typo away), for a rename fix. */
  meant?: { from: string; to: string };
  /** The engine refuses this configuration at startup (the verdict is "will not start"), not just runs it badly. */
  refusesStart?: boolean;
}

export interface Estimate {
  model: { id: string; architecture: string; modelType: string; params: number; activeParams: number; layers: number; kvBytesPerToken: number; maxPositions: number;
    /** The longest max length the engine accepts for this model as configured (its RoPE scaling and overrides applied). */
    contextLimit: number;
    /** config.json already scales RoPE (rope_scaling). */
    ropeScaled: boolean;
    heads: number; kvHeads: number; mla: boolean; experts: number };
  hardware: { gpu: string; gpuName: string; count: number; replicas: number; memoryBytesPerGpu: number; pricePerHour: number; nativeFormats: string[] };
  serving: {
    /** As configured: with DP attention (SGLang, TensorRT-LLM) the dataParallel ranks split these GPUs, else they multiply them. */
    engine: EngineName; engineVersion: string; tensorParallel: number; pipelineParallel: number; expertParallel: number; dataParallel: number;
    /** `maxNumSeqs` is the knob as set; this is one rank's share (they differ for SGLang's server-wide cap under DP attention). */
    maxNumSeqsPerRank: number;
    weightDtype: string; kvCacheDtype: string; computeDtype: string; maxModelLen: number; maxNumSeqs: number; maxNumBatchedTokens: number;
    gpuMemoryUtilization: number; chunkedPrefill: boolean; prefixCaching: boolean; cudaGraphs: boolean;
  };
  memory: {
    weightsBytesPerGpu: number; activationBytesPerGpu: number; cudaGraphBytesPerGpu: number; nonTorchBytesPerGpu: number;
    overheadBytesPerGpu: number; kvPoolBytesPerGpu: number; kvBytesPerTokenPerGpu: number; kvCapacityTokens: number;
    kvBytesPerMaxLenRequest: number; maxConcurrency: number; maxModelLenThatFits: number; fits: boolean; poolFormula: string;
  };
  latency: { ttftMs: number; tpotMs: number; outputTokensPerSec: number; concurrency: number; prefillAloneMs: number; decodeStepMs: number };
  workload: { inputLen: number; outputLen: number; concurrency: number | 'max'; prefixHitRate: number };
  assumptions: string[];
  issues: EstimateIssue[];
}

export interface EstimatorDeps {
  gpus: GpuCatalog;
  /** Model configs beyond the built-in catalog (the opt-in Hub lookup), or why there are none. */
  models?: ModelSource;
}

/** A synchronous view of model configs fetched elsewhere; `version` changes whenever a lookup's answer may have. */
export interface ModelSource {
  readonly version: number;
  lookup(id: string): { config: Record<string, unknown>; note: string } | { status: string } | undefined;
}

export const defaultDeps: EstimatorDeps = { gpus: new GpuCatalog() };

export type EstimateResult = { ok: true; estimate: Estimate } | { ok: false; issues: EstimateIssue[]; assumptions: string[] };

/**
 * What to estimate: everything (default), or `memory` only — fit, KV capacity and the issues that follow from them,
 * with the latency left at zero. Fix searches use it to test many candidates cheaply; open-loop traffic (a request
 * rate) needs the latency for its concurrency, so it is always estimated in full.
 */
export interface EstimateOptions {
  scope?: 'all' | 'memory';
}

export function estimate(plan: DeploymentPlan, deps: EstimatorDeps = defaultDeps, options: EstimateOptions = {}): EstimateResult {
  try {
    return estimateUnsafe(plan, deps, options.scope === 'memory');
  } catch (e) {
    const message = e instanceof ModelConfigError ? e.message : `internal estimator error: ${(e as Error)?.message ?? String(e)}`;
    return { ok: false, issues: [{ code: e instanceof ModelConfigError ? 'model-config' : 'estimator-error', severity: 'error', message, source: plan.model.ref.source }], assumptions: [] };
  }
}

const positiveInt = (v: number | undefined, fallback: number, max = 1 << 30): number =>
  v !== undefined && Number.isFinite(v) && v >= 1 ? Math.min(Math.floor(v), max) : fallback;

function describe(p: Provenance): string {
  switch (p.kind) {
    case 'file': return `from ${p.key}`;
    case 'default': return p.note;
    case 'setting': return `from setting ${p.name}`;
    case 'profile': return `from ${p.file} (${p.key})`;
    case 'cli': return `from ${p.flag}`;
    case 'inferred': return p.note;
  }
}

function estimateUnsafe(plan: DeploymentPlan, deps: EstimatorDeps, memoryOnly: boolean): EstimateResult {
  const assumptions: string[] = [];
  const issues: EstimateIssue[] = [];
  const bad = (code: string, message: string, source?: Provenance, severity: Severity = 'error', meant?: EstimateIssue['meant']) => issues.push({ code, severity, message, source, ...(meant ? { meant } : {}) });
  /** An error the engine stops on at startup (argument validation, memory profiling): the server never comes up. */
  const refuse = (code: string, message: string, source?: Provenance) => issues.push({ code, severity: 'error', message, source, refusesStart: true });

  // Model.
  const ref = plan.model.ref.value;
  let config = plan.model.config;
  if (!config) {
    config = catalogConfig(ref);
    if (config) assumptions.push(`model config for ${ref} from the built-in catalog`);
  }
  const found = config ? undefined : deps.models?.lookup(ref);
  if (found && 'config' in found) {
    config = found.config;
    assumptions.push(found.note);
  }
  if (!config) {
    // A reason (untrusted workspace, Hub lookup under way or failed) comes first: it is what the user can act on.
    const near = found && 'status' in found ? undefined : nearestCatalogId(ref);
    const message = found && 'status' in found
      ? `Unknown model "${ref}" (not in the built-in catalog). ${found.status}`
      : `Unknown model "${ref}": not in the built-in catalog and no config.json was found. Point model: at a folder with a config.json, or use a catalog id.${near ? ` Did you mean "${near}"?` : ''}`;
    bad('unknown-model', message, plan.model.ref.source, 'error', near ? { from: ref, to: near } : undefined);
    return { ok: false, issues, assumptions };
  }
  const model: ModelSpec = modelFromConfig(ref, config, { hfQuantConfig: plan.model.hfQuantConfig });
  assumptions.push(...model.assumptions);
  if (model.unmodelled) bad('unmodelled-architecture', unmodelledMessage(model.unmodelled, model.architecture), plan.model.ref.source, 'warning');
  const params = countParams(model);

  // Hardware.
  let gpu: GpuSpec | undefined = deps.gpus.find(plan.hardware.gpu.value);
  if (!gpu) {
    const near = deps.gpus.nearest(plan.hardware.gpu.value);
    bad('unknown-gpu', `Unknown GPU "${plan.hardware.gpu.value}"; estimating for ${defaultGpuId}. ${near ? `Did you mean "${near.id}"?` : `Known: ${deps.gpus.gpus.map((g) => g.id).join(', ')}.`}`, plan.hardware.gpu.source, 'warning', near ? { from: plan.hardware.gpu.value, to: near.id } : undefined);
    gpu = deps.gpus.find(defaultGpuId)!;
  }
  assumptions.push(`GPU ${gpu.name} ${describe(plan.hardware.gpu.source)}`);

  // Engine and parallelism.
  const engineName = plan.engine.name.value;
  const engine = engines[engineName];
  const numbered = /\d+\.\d+/.test(plan.engine.version?.value ?? '');
  // A version without a number (`latest`) is the newest release: reported and estimated as the newest modelled.
  const versionText = numbered ? plan.engine.version!.value : engine.newestVersion;
  let version = parseVersion(versionText, engine.newestVersion);
  const newest = parseVersion(engine.newestVersion, engine.newestVersion);
  const oldest = engine.oldestVersion ? parseVersion(engine.oldestVersion, engine.oldestVersion) : undefined;
  const imageNote = plan.engine.image?.note;
  if (!plan.engine.version) assumptions.push(`${engineName} ${engine.newestVersion} behaviour (newest modelled${imageNote ? `, since ${imageNote}` : ''}; set engine-version= in a # deploy-advisor: comment or deployAdvisor.engineVersion to compare)`);
  else if (!numbered) assumptions.push(`${engineName} version "${plan.engine.version.value}" has no number: ${engine.newestVersion} behaviour (newest modelled)`);
  else if (compareMinor(version, newest) > 0) assumptions.push(`${engineName} ${versionText} is newer than the newest modelled (${engine.newestVersion}): ${engine.newestVersion} behaviour`);
  else if (oldest && compareMinor(version, oldest) < 0) {
    assumptions.push(`${engineName} ${versionText} is older than the oldest modelled (${engine.oldestVersion}): ${engine.oldestVersion} behaviour`);
    version = oldest;
  }

  const k = plan.knobs;
  const countGiven = plan.hardware.count?.value;
  let tp = positiveInt(k.tensorParallel?.value, 0, 4096);
  const pp = positiveInt(k.pipelineParallel?.value, 1, 1024);
  if (k.tensorParallel && tp === 0) refuse('invalid-value', `tensor parallel size must be a positive integer (got ${k.tensorParallel.value})`, k.tensorParallel.source);
  if (k.pipelineParallel && !(k.pipelineParallel.value >= 1)) refuse('invalid-value', `pipeline parallel size must be a positive integer (got ${k.pipelineParallel.value})`, k.pipelineParallel.source);
  const dpRanks = positiveInt(k.dataParallel?.value, 1, 1024);
  if (k.dataParallel && !(k.dataParallel.value >= 1)) refuse('invalid-value', `data parallel size must be a positive integer (got ${k.dataParallel.value})`, k.dataParallel.source);
  // DP attention (SGLang, TensorRT-LLM; dataParallel.ts) splits the tensor-parallel GPUs into ranks instead of adding GPUs.
  const attentionDp = k.attentionDataParallel?.value === true;
  if (tp === 0) {
    const perRank = attentionDp ? 1 : dpRanks;
    tp = countGiven && countGiven >= 1 ? Math.max(1, Math.floor(countGiven / pp / perRank)) : 1;
    if (countGiven && countGiven > 1) assumptions.push(`tensor parallel ${tp}: the replica's ${countGiven} GPUs used as tensor parallel`);
  }
  const dp = dataParallelLayout(engineName, tp, dpRanks, attentionDp, !!model.moe);
  if (dp.note) assumptions.push(dp.note);
  if (dp.problem) refuse('invalid-value', dp.problem, k.dataParallel?.source ?? k.attentionDataParallel?.source);
  const ep = model.moe ? positiveInt(k.expertParallel?.value, 1, 4096) : 1;
  const par: Parallelism = { tp: dp.tp, pp, ep, dp: dp.ranks, dpShared: dp.shared };
  const count = dp.tp * pp * dp.ranks;
  if (countGiven && countGiven !== count && countGiven >= 1) {
    bad('gpu-count-mismatch', `The replica has ${countGiven} GPU(s) but ${dp.ranks > 1 ? 'tensor × pipeline × data' : 'tensor × pipeline'} parallel uses ${count}.`, plan.hardware.count?.source, 'warning');
  }
  if (model.moe && ep > 1 && ep > model.moe.numExperts) refuse('invalid-value', `expert parallel ${ep} exceeds the ${model.moe.numExperts} experts`, k.expertParallel?.source);

  // Knobs with engine defaults for this version, GPU and context length.
  const pick = <T>(s: { value: T } | undefined, def: T, name: string, valid: (v: T) => boolean): T => {
    if (s === undefined) return def;
    if (!valid(s.value)) {
      refuse('invalid-value', `${name} = ${String(s.value)} is not valid (the engine rejects it); estimated with the default ${String(def)}`, (s as { source?: Provenance }).source);
      return def;
    }
    return s.value;
  };
  // The engine's own default is the length it derives; a RoPE override (YaRN) written in the file lengthens it.
  const contextLimit = derivedMaxLen(engineName, model, k.ropeScaling?.value);
  const maxModelLen = pick(k.maxModelLen, k.ropeScaling ? contextLimit : model.maxPositions, engine.knobNames.maxModelLen, (v) => Number.isFinite(v) && v >= 1 && v <= 1e9);
  if (!k.maxModelLen) assumptions.push(`${engine.knobNames.maxModelLen} ${maxModelLen} from the model's ${k.ropeScaling ? 'RoPE scaling override' : 'max_position_embeddings'}`);
  const d: ResolvedKnobs = engine.defaults(gpu, version, tp, pp, maxModelLen);
  const util = pick(k.gpuMemoryUtilization, d.gpuMemoryUtilization, engine.knobNames.utilization, (v) => v > 0 && v <= 1);
  const chunked = k.enableChunkedPrefill?.value ?? d.chunkedPrefill;
  let mnbt = pick(k.maxNumBatchedTokens, d.maxNumBatchedTokens, engine.knobNames.maxNumBatchedTokens, (v) => Number.isFinite(v) && v >= 1 && v <= 1e9);
  if (!chunked && engineName === 'vllm' && !k.maxNumBatchedTokens) mnbt = Math.max(mnbt, maxModelLen);
  const maxNumSeqsSet = Math.min(pick(k.maxNumSeqs, d.maxNumSeqs, engine.knobNames.maxNumSeqs, (v) => Number.isFinite(v) && v >= 1 && v <= 1e7), engineName === 'vllm' ? mnbt : Infinity);
  // One rank's cap (the engine default is already per rank).
  const maxNumSeqs = dp.seqCapCountsAllRanks && k.maxNumSeqs ? Math.max(1, Math.floor(maxNumSeqsSet / dp.ranks)) : maxNumSeqsSet;
  const knobs: ResolvedKnobs = {
    ...d, gpuMemoryUtilization: util, maxNumSeqs, maxNumBatchedTokens: mnbt, chunkedPrefill: chunked,
    prefixCaching: k.enablePrefixCaching?.value ?? d.prefixCaching, cudaGraphs: !(k.enforceEager?.value ?? false),
    blockSize: positiveInt(k.blockSize?.value, d.blockSize, 1024),
    scheduling: k.mixedChunk?.value ? 'mixed' : undefined,
    overlapScheduling: d.overlapScheduling && !(k.disableOverlap?.value ?? false),
  };

  // Formats.
  const fp32 = isFp32(k.dtype?.value);
  const quantized = k.quantization ? weightFormatFromFlag(k.quantization.value, model.weightFormat) : model.weightFormat;
  const format = fp32 ? asFp32(quantized) : quantized;
  assumptions.push(...format.notes);
  if (k.quantization && !quantizationModelled(k.quantization.value, model.weightFormat)) {
    bad('unmodelled-quantization', `Quantization "${k.quantization.value}" is not modelled; weights are estimated in the checkpoint's format (${model.weightFormat.name}).`, k.quantization.source, 'warning');
  }
  if (k.kvCacheDtype && !kvDtypeKnown(k.kvCacheDtype.value)) {
    bad('unknown-kv-dtype', `KV cache dtype "${k.kvCacheDtype.value}" is not a KV cache type Deploy Advisor knows; the KV cache is estimated in 16 bits.`, k.kvCacheDtype.source, 'warning');
  }
  const kvDtype = kvDtypeFrom(k.kvCacheDtype?.value, model, fp32);
  const kvElem = kvDtypeBytes(kvDtype);
  if (kvDtype === 'fp8' && !gpu.native.includes('fp8')) {
    bad('kv-dtype-not-native', `FP8 KV cache on ${gpu.id} (${gpu.arch}) has no native FP8 tensor cores: it is stored in FP8 but dequantized for attention, which is slower.`, k.kvCacheDtype?.source, 'warning');
  }
  if (format.compute === 'fp8' && !format.weightOnly && !gpu.native.includes('fp8')) {
    bad('quant-not-native', `FP8 weights on ${gpu.id} (${gpu.arch}) run as weight-only FP8 (Marlin) kernels: memory halves but math stays 16-bit.`, k.quantization?.source ?? plan.model.ref.source, 'info');
  }

  // Memory.
  const weights = weightBytesPerGpu(model, format, par, params);
  const activation = engine.activationPeak(model, mnbt, maxNumSeqs, par, gpu, version);
  // Custom all-reduce and NCCL buffers exist whenever a GPU talks to others: a rank's TP group or a shared expert group.
  const nonTorch = nonTorchBytes(par.tp * (par.dpShared ? dp.ranks : 1), gpu);
  const graphs = knobs.cudaGraphs ? cudaGraphBytes(model, par) : 0;
  const pool = engine.kvPool({ totalBytes: gpu.usableBytes, weightsBytes: weights, activationBytes: activation, nonTorchBytes: nonTorch, cudaGraphBytes: graphs, utilization: util }, version);
  const perTokenGpu = kvBytesPerTokenPerGpu(model, kvElem, par);
  const blockBytes = perTokenGpu * knobs.blockSize;
  const blocks = pool.poolBytes > 0 ? Math.floor(pool.poolBytes / blockBytes) : 0;
  // Every data-parallel rank holds its own requests' KV: the replica's pool is the ranks' pools together.
  const capacityTokens = blocks * knobs.blockSize * dp.ranks;
  const perRequest = kvBytesForRequestPerGpu(model, kvElem, par, maxModelLen, mnbt, knobs.blockSize);
  const maxConcurrency = perRequest > 0 ? (dp.ranks * Math.max(0, pool.poolBytes)) / perRequest : 0;
  // Capped at the length the engine derives from the model's config (max_position_embeddings, or what a RoPE override
  // extends it to): a longer max_model_len is refused at startup however much KV room there is.
  const lenThatFits = maxModelLenThatFits(model, kvElem, par, mnbt, knobs.blockSize, Math.max(0, pool.poolBytes), contextLimit);
  const lenToSet = settableMaxModelLen(lenThatFits, contextLimit);
  const used = weights + activation + nonTorch + graphs + Math.max(0, pool.poolBytes);
  let fits = true;
  if (pool.poolBytes <= 0) {
    fits = false;
    refuse('does-not-fit', `The model does not fit: weights ${(weights / GiB).toFixed(2)} GiB + activations ${(activation / GiB).toFixed(2)} GiB + overhead ${((nonTorch + graphs) / GiB).toFixed(2)} GiB leave no KV cache within ${util} × ${(gpu.usableBytes / GiB).toFixed(1)} GiB per GPU.`, plan.model.ref.source);
  } else if (perRequest > pool.poolBytes) {
    fits = false;
    refuse('max-len-exceeds-kv', `One ${maxModelLen}-token request needs ${(perRequest / GiB).toFixed(2)} GiB of KV per GPU but the pool is ${(pool.poolBytes / GiB).toFixed(2)} GiB; ${engineName} will refuse to start. ${lenThatFits >= contextLimit ? `The model's own context length (${lenThatFits}) fits.` : `Largest ${engine.knobNames.maxModelLen} that fits: ${lenThatFits}${lenToSet !== lenThatFits ? `; set ${lenToSet}` : ''}.`}`, k.maxModelLen?.source ?? plan.model.ref.source);
  } else if (used > gpu.usableBytes) {
    // Each engine's pool leaves the rest to what it reserves outside it (vLLM before 0.21 captures CUDA graphs after
    // sizing the pool; SGLang keeps activations and graphs in 1 − mem_fraction_static): all of it must fit together.
    fits = false;
    refuse('does-not-fit', `Weights ${(weights / GiB).toFixed(2)} GiB + activations ${(activation / GiB).toFixed(2)} GiB + overhead ${((nonTorch + graphs) / GiB).toFixed(2)} GiB + KV pool ${(pool.poolBytes / GiB).toFixed(2)} GiB exceed the GPU's ${(gpu.usableBytes / GiB).toFixed(1)} GiB.`, plan.model.ref.source);
  }
  if (k.maxModelLen && maxModelLen > contextLimit) {
    const policy = longContextPolicy(engineName);
    const allowed = plan.engine.allowLongContext?.value === true;
    const label = engineLabels[engineName];
    const what = `${engine.knobNames.maxModelLen} ${maxModelLen} exceeds the ${contextLimit} tokens ${label} derives from the model's config (${k.ropeScaling ? 'with the RoPE override' : 'max_position_embeddings'})`;
    if (policy.refuses && !allowed) refuse('max-len-above-model', `${what}: ${label} refuses to start unless ${policy.allowEnv}=1 is set.`, k.maxModelLen.source);
    else bad('max-len-above-model', `${what}${allowed ? `; ${policy.allowEnv}=1 lets it start` : ''}, but the model was not trained past ${contextLimit} tokens: longer requests may produce poor output.`, k.maxModelLen.source, 'warning');
  }
  const tpProblem = tensorParallelProblem(model, par.tp);
  if (tpProblem) refuse('tp-divisibility', tpProblem, k.tensorParallel?.source);

  // Latency.
  const w = plan.workload;
  let inputLen = positiveInt(w.inputLen.value, 1024, 1e8);
  let outputLen = positiveInt(w.outputLen.value, 256, 1e8);
  if (maxModelLen < 2) refuse('invalid-value', `${engine.knobNames.maxModelLen} ${maxModelLen} leaves no room for a prompt and an output token.`, k.maxModelLen?.source);
  else if (inputLen + outputLen > maxModelLen) {
    // Every engine rejects a request longer than its max length (vLLM: "This model's maximum context length is …"):
    // latency is estimated for the longest request it accepts, and a workload someone chose is flagged.
    const chosen = [w.inputLen, w.outputLen].find((x) => x.source.kind !== 'default');
    if (chosen) {
      const where = chosen.source.kind === 'file' ? chosen.source : k.maxModelLen?.source ?? chosen.source;
      bad('request-exceeds-max-len', `Requests of ${inputLen} + ${outputLen} tokens exceed ${engine.knobNames.maxModelLen} ${maxModelLen}; ${engineName} rejects them. Latency below is for the longest request it accepts.`, where, 'warning');
    }
    // The prompt is what gets cut; the output keeps its length while it is at most a fifth of max-model-len.
    outputLen = Math.max(1, Math.min(outputLen, Math.floor(maxModelLen / 5)));
    inputLen = Math.max(1, maxModelLen - outputLen);
    assumptions.push(`workload shortened to ${inputLen} + ${outputLen} tokens: the longest request ${engine.knobNames.maxModelLen} ${maxModelLen} accepts`);
  }
  const hit = Math.min(1, Math.max(0, w.prefixHitRate?.value ?? 0));
  const reqTokens = inputLen + outputLen;
  const perRequestKv = kvBytesForRequestPerGpu(model, kvElem, par, reqTokens, mnbt, knobs.blockSize);
  // Per data-parallel rank: the requests its KV pool holds and those its scheduler runs at once.
  const kvLimitRank = perRequestKv > 0 ? Math.floor(Math.max(0, pool.poolBytes) / perRequestKv) : 0;
  const kvLimit = kvLimitRank * dp.ranks;
  const slots = Math.max(1, Math.min(maxNumSeqs, fits ? Math.max(1, kvLimitRank) : Infinity));
  const seqsLimit = maxNumSeqs * dp.ranks;
  const nodes = positiveInt(plan.hardware.nodes?.value, count > 8 ? Math.ceil(count / 8) : 1, 4096);
  const stepModel = buildStepModel({ model, params, format, kvElementBytes: kvElem, gpu, par, engine, knobs, nodes });
  const spec = speculation(k.speculative?.value, { layers: model.layers, activeParams: params.active });
  if (spec) assumptions.push(spec.note);
  const rate = w.requestRate?.value;
  // A request rate is open-loop traffic: arrivals spread over time, no benchmark start-up burst.
  const openLoop = rate !== undefined && Number.isFinite(rate) && rate > 0 && w.concurrency.source.kind === 'default';
  // Requests split evenly over the data-parallel ranks: the busiest rank sets the latency, all of them the throughput.
  const latencyAt = (n: number, quick = false) => {
    const perRank = Math.ceil(n / dp.ranks);
    const l = servingLatency(stepModel, engine, { ...knobs, maxNumSeqs: slots }, { inputLen, outputLen, concurrency: perRank, prefixHitRate: knobs.prefixCaching ? hit : 0, arrivals: openLoop ? 'spread' : 'together', quick, speculation: spec });
    return perRank === n ? l : { ...l, outputTokensPerSec: (l.outputTokensPerSec * n) / perRank };
  };

  let concurrency: number;
  if (openLoop && rate !== undefined) {
    // Open loop: requests in flight = rate × request lifetime (Little's law), solved by a few fixed-point steps. Like
    // concurrency, the rate is one replica's (the optimizer divides a deployment's load over its replicas).
    concurrency = 1;
    for (let i = 0; i < 6; i++) {
      const l = latencyAt(concurrency);
      const lifetimeSec = (l.ttftMs + (outputLen - 1) * l.tpotMs) / 1e3;
      const next = Math.max(1, Math.min(1e6, Math.ceil(rate * lifetimeSec)));
      if (next === concurrency) break;
      concurrency = next;
    }
    assumptions.push(`${rate} requests/s per replica keep about ${concurrency} request(s) in flight (rate × request lifetime)`);
    // What one replica serves at most: its full batch, back to back (capped at 1024 in flight like the report's
    // concurrency curve, which bounds the simulation).
    const capacity = latencyAt(Math.min(slots, 1024) * dp.ranks, true).outputTokensPerSec;
    // The two-round capacity run includes its start-up burst, so it reads a few % low: flag only a clear overload.
    if (fits && rate * outputLen > 1.05 * capacity) {
      bad('rate-exceeds-capacity', `${rate} requests/s need ${Math.round(rate * outputLen)} output tokens/s but a replica serves at most about ${Math.round(capacity)}: queues grow without bound and TTFT with them. Add replicas or make each faster (FP8, more GPUs per replica).`, w.requestRate!.source, 'warning');
    }
  } else if (w.concurrency.value === 'max') {
    concurrency = Math.max(1, Math.min(seqsLimit, kvLimit));
    assumptions.push(`concurrency max = ${concurrency} (min of ${engine.knobNames.maxNumSeqs} ${seqsLimit}${dp.ranks > 1 ? ` (${maxNumSeqs} per rank × ${dp.ranks} ranks)` : ''} and KV room for ${kvLimit} requests of ${reqTokens} tokens)`);
  } else {
    concurrency = positiveInt(w.concurrency.value, 1, 1e7);
  }
  if (concurrency > seqsLimit) assumptions.push(`only ${seqsLimit} of ${concurrency} requests run at once (${engine.knobNames.maxNumSeqs}${dp.ranks > 1 ? ' per rank' : ''}); the rest queue`);
  if (fits && w.concurrency.value !== 'max' && concurrency > kvLimit && kvLimit >= 1) {
    bad('kv-limits-concurrency', `KV cache holds ${kvLimit} concurrent ${reqTokens}-token requests but the workload keeps ${concurrency} in flight; the rest wait or are preempted.`, w.requestRate && w.concurrency.source.kind === 'default' ? w.requestRate.source : w.concurrency.source, 'warning');
  }
  if (!fits) assumptions.push('latency figures assume the deployment fits (it does not as configured)');
  const lat = memoryOnly && !openLoop ? { ttftMs: 0, tpotMs: 0, outputTokensPerSec: 0, prefillAloneMs: 0, decodeStepMs: 0 } : latencyAt(concurrency);
  assumptions.push(openLoop
    ? `latency: ${rate} requests/s of ${inputLen} prompt + ${outputLen} output tokens arriving spread over time (no start-up burst); roofline calibrated on H100 measurements, scaled by ${gpu.id} specs`
    : `latency: closed loop, ${concurrency} request(s) in flight, ${inputLen} prompt + ${outputLen} output tokens, simulated over ${BENCHMARK_ROUNDS} rounds as a benchmark runs it (all clients start together); roofline calibrated on H100 measurements, scaled by ${gpu.id} specs`);
  if (concurrency > 1) assumptions.push(`under concurrent load TTFT is the least certain figure (median error ${MEASURED_MEDIAN_ERROR_PCT.ttft} % against measured closed-loop serving runs, TPOT ${MEASURED_MEDIAN_ERROR_PCT.tpot} %): how requests fall into step with each other moves queueing more than the GPU does`);
  if (engineName === 'sglang') assumptions.push(knobs.scheduling === 'mixed' ? 'SGLang mixes prompt chunks into decode batches (enable-mixed-chunk)' : 'SGLang runs prompt batches on their own, pausing decodes (enable-mixed-chunk off, its default): requests arriving together prefill together');
  if (knobs.overlapScheduling) assumptions.push('overlap scheduler on (the default): the next step is formed while the current one runs, so a request arriving mid-step starts one step later');
  if (nodes > 1) assumptions.push(`a replica spans ${nodes} nodes: TP/PP traffic crossing nodes uses the ${gpu.interNode / 1e9} GB/s per-GPU network`);

  return {
    ok: true,
    estimate: {
      model: { id: ref, architecture: model.architecture, modelType: model.modelType, params: params.total, activeParams: params.active, layers: model.layers, kvBytesPerToken: kvBytesPerToken(model, kvElem), maxPositions: model.maxPositions, contextLimit, ropeScaled: !!model.ropeScaling, heads: model.heads, kvHeads: model.kvHeads, mla: !!model.mla, experts: model.moe?.numExperts ?? 0 },
      hardware: { gpu: gpu.id, gpuName: gpu.name, count, replicas: positiveInt(plan.hardware.replicas.value, 1, 1e6), memoryBytesPerGpu: gpu.usableBytes, pricePerHour: plan.hardware.pricePerHour?.value ?? gpu.pricePerHour, nativeFormats: gpu.native },
      serving: {
        engine: engineName, engineVersion: versionText, tensorParallel: tp, pipelineParallel: pp, expertParallel: ep, dataParallel: dp.ranks, maxNumSeqsPerRank: maxNumSeqs, weightDtype: format.name,
        kvCacheDtype: kvDtype, computeDtype: stepModel.computeDtype, maxModelLen, maxNumSeqs: maxNumSeqsSet, maxNumBatchedTokens: mnbt, gpuMemoryUtilization: util,
        chunkedPrefill: knobs.chunkedPrefill, prefixCaching: knobs.prefixCaching, cudaGraphs: knobs.cudaGraphs,
      },
      memory: {
        weightsBytesPerGpu: weights, activationBytesPerGpu: activation, cudaGraphBytesPerGpu: graphs, nonTorchBytesPerGpu: nonTorch,
        overheadBytesPerGpu: nonTorch + graphs, kvPoolBytesPerGpu: Math.max(0, pool.poolBytes), kvBytesPerTokenPerGpu: perTokenGpu,
        kvCapacityTokens: capacityTokens, kvBytesPerMaxLenRequest: perRequest, maxConcurrency: Math.floor(maxConcurrency * 100) / 100,
        maxModelLenThatFits: lenThatFits, fits, poolFormula: pool.formula,
      },
      latency: { ...lat, concurrency },
      workload: { inputLen, outputLen, concurrency: w.concurrency.value === 'max' ? 'max' : concurrency, prefixHitRate: hit },
      assumptions,
      issues,
    },
  };
}
