/**
 * DeploymentPlan → Estimate: memory per GPU with the engine's own KV sizing, KV capacity, and steady-state latency.
 * Pure: no editor, file-system or network access. Never throws for bad input — problems become `issues`.
 * The steps live beside it: resolveModelAndGpu.ts, resolveKnobs.ts (engine defaults + file knobs), memoryPlan.ts
 * (the memory components and the engine's pool), issues.ts, operatingPoint.ts (the workload and its latency).
 */
import { GpuCatalog, GpuSpec } from '../catalog/gpus';
import type { DeploymentPlan } from '../plan/types';
import type { Estimate, EstimateOptions, EstimateResult, EstimatorDeps } from './estimateTypes';
import { checkFit, checkMaxLenAboveModel, IssueLog } from './issues';
import { HybridPool, hybridPool, HybridPoolInputs } from './hybridPool';
import type { LoadedParts } from './memory';
import { MultimodalMemory, multimodalMemory } from './multimodal';
import type { DrafterMemory } from './drafter';
import { resolveDrafter } from './resolveDrafter';
import { kvBytesForRequestPerGpu, kvBytesPerToken, kvBytesPerTokenPerGpu, layerCounts, maxModelLenThatFits, settableMaxModelLen, stateBytesPerRequest, tensorParallelProblem, windowKvBytesPerToken } from './memory';
import { componentBytes, overheadBytes, planMemory, weightsComponent } from './memoryPlan';
import { hostLinkOf } from '../catalog/hostLinks';
import { hostMemory } from './hostMemory';
import { describeOffload, weightOffload } from './offload';
import { loraMemory, resolveLora } from './lora';
import { countParams, ModelConfigError, modelFromConfig, ModelParams, ModelSpec, withStateDtype } from './model';
import { Deployment, operatingPoint, OperatingPoint, requestShape } from './operatingPoint';
import { poolingPoint } from './poolingPoint';
import { modelKind } from './poolingModel';
import { resolveGpu, resolveModelConfig, servesArchitecture } from './resolveModelAndGpu';
import { applyCalibration } from './calibration';
import { unmodelledMessage } from './unmodelledFields';
import { positiveInt, ResolvedEngine, resolveEngine, ResolvedFormats, resolveFormats, ResolvedLayout, resolveLayout, resolveServingKnobs, ServingKnobs } from './resolveKnobs';

export type { Estimate, EstimateIssue, EstimateOptions, EstimateResult, EstimatorDeps, ModelSource, Severity } from './estimateTypes';

export const defaultDeps: EstimatorDeps = { gpus: new GpuCatalog() };

export function estimate(plan: DeploymentPlan, deps: EstimatorDeps = defaultDeps, options: EstimateOptions = {}): EstimateResult {
  try {
    return estimateUnsafe(plan, deps, options.scope === 'memory');
  } catch (e) {
    const message = e instanceof ModelConfigError ? e.message : `internal estimator error: ${(e as Error)?.message ?? String(e)}`;
    return { ok: false, issues: [{ code: e instanceof ModelConfigError ? 'model-config' : 'estimator-error', severity: 'error', message, source: plan.model.ref.source }], assumptions: [] };
  }
}

function estimateUnsafe(plan: DeploymentPlan, deps: EstimatorDeps, memoryOnly: boolean): EstimateResult {
  const log = new IssueLog();
  const config = resolveModelConfig(plan, deps, log);
  if (!config) return { ok: false, issues: log.issues, assumptions: log.assumptions };
  const model = withStateDtype(modelFromConfig(plan.model.ref.value, config, { hfQuantConfig: plan.model.hfQuantConfig }), plan.knobs.mambaSsmDtype?.value);
  log.assume(...model.assumptions);
  if (model.unmodelled) log.bad('unmodelled-architecture', unmodelledMessage(model.unmodelled, model.architecture), plan.model.ref.source, 'warning');
  const params = countParams(model);
  const catalogGpu = resolveGpu(plan, deps, log);
  const resolvedEngine = resolveEngine(plan, log);
  // The user's calibration scales the GPU's rates and the engine's step time for this pair (never memory sizes).
  const calibrated = applyCalibration(plan.calibration, catalogGpu, resolvedEngine.engine, log);
  const gpu = calibrated.gpu;
  const engine = calibrated.entry ? { ...resolvedEngine, engine: calibrated.engine } : resolvedEngine;
  const layout = resolveLayout(plan, model, log);
  const serving = resolveServingKnobs(plan, model, gpu, engine, layout, log);
  const formats = resolveFormats(plan, model, gpu, log);
  const mm = multimodalMemory({
    engine: engine.engine.name, model, raw: config, limits: plan.knobs.mmLimits?.value, processorKwargs: plan.knobs.mmProcessorKwargs?.value, tpMode: plan.knobs.mmEncoderTpMode?.value,
    languageOnly: plan.knobs.languageModelOnly?.value, skipProfiling: plan.knobs.skipMmProfiling?.value, tp: layout.par.tp, maxNumBatchedTokens: serving.knobs.maxNumBatchedTokens,
    maxNumSeqs: serving.knobs.maxNumSeqs, maxModelLen: serving.maxModelLen,
    lmActivationBytes: engine.engine.activationPeak(model, serving.knobs.maxNumBatchedTokens, serving.knobs.maxNumSeqs, layout.par, gpu, engine.version),
  });
  if (mm) log.assume(...mm.notes);
  // MTP layers are the drafter's (drafter.ts), not the target's weights.
  const load: LoadedParts = mm ? { encoders: mm.towerLoaded, encodersReplicated: mm.towerReplicated } : {};
  const drafter = resolveDrafter(plan, model, engine, layout, formats, deps, log);
  const { memory, limits } = sizeMemory({ plan, model, params, gpu, engine, layout, serving, formats, load, mm, drafter }, log);
  const images = plan.workload.imagesPerRequest?.value ?? 0;
  const shape = requestShape(plan, engine.engine, serving.maxModelLen, log, mm && images > 0 ? Math.floor(images) * mm.maxTokensPerImage : 0);
  const deployment: Deployment = {
    plan, model, params, format: formats.format, kvElem: formats.kvElem, gpu, par: layout.par, dp: layout.dp, engine: engine.engine, knobs: serving.knobs,
    count: layout.count, maxModelLen: serving.maxModelLen, poolBytes: memory.kvPoolBytesPerGpu, fits: memory.fits, ...limits, ...shape,
    ...(memory.cpuOffload ? { hostStreamSec: memory.cpuOffload.streamSecPerStep } : {}),
  };
  const point = operatingPoint(deployment, memoryOnly, log);
  const pooling = poolingPoint(deployment, log);
  // What the chart or operator around the engine sets up itself, and the pod checks therefore take as given.
  if (plan.pod?.notes?.length) log.assume(...plan.pod.notes);
  const est = assemble({ plan, model, params, gpu, engine, layout, serving, formats, load, mm, drafter }, memory, point, deployment, log);
  // Host RAM is a budget of its own (the pod's memory limit): sized after the GPU side, whose pool the KV tiers mirror.
  const engines = Math.max(1, Math.round(layout.count / Math.max(1, layout.tp * layout.pp)));
  const host = hostMemory({
    engine: engine.engine.name, version: engine.versionText, tp: layout.tp, pp: layout.pp, dp: engines,
    kvBytesPerTokenPerGpu: memory.kvBytesPerTokenPerGpu, kvPoolBytesPerGpu: memory.kvPoolBytesPerGpu, blockTokens: memory.kvBlockTokens,
    offload: memory.cpuOffload, swapSpaceGiB: plan.knobs.swapSpace?.value, hostKv: plan.knobs.hostKvCache?.value,
    loraHostBytesPerWorker: memory.lora?.hostBytesPerWorker, multimodal: !!mm?.towerLoaded,
  });
  const withHost = { ...est, host };
  return { ok: true, estimate: pooling ? { ...withHost, pooling } : withHost };
}

/** What the estimate has resolved before it sizes anything. */
interface Resolved {
  plan: DeploymentPlan;
  model: ModelSpec;
  params: ModelParams;
  gpu: GpuSpec;
  engine: ResolvedEngine;
  layout: ResolvedLayout;
  serving: ServingKnobs;
  formats: ResolvedFormats;
  load: LoadedParts;
  /** The multimodal side (tower placement, encoder profile), for models with an encoder. */
  mm?: MultimodalMemory;
  /** The speculative drafter's memory, when the plan speculates. */
  drafter?: DrafterMemory;
}

/** The memory components, the KV pool and what it holds, and the fit and layout checks that follow from them. */
function sizeMemory(r: Resolved, log: IssueLog): { memory: Estimate['memory']; limits: Pick<Deployment, 'stateInPoolBytes' | 'stateRequestLimit' | 'draftKv'> } {
  const { plan, model, gpu, layout, serving } = r;
  const { par, dp } = layout;
  const { knobs, maxModelLen, contextLimit } = serving;
  const kvElem = r.formats.kvElem;
  const mnbt = knobs.maxNumBatchedTokens;
  const hybridInputs = (poolBytes: number): HybridPoolInputs => ({
    model, engine: r.engine.engine.name, kvElem, par, poolBytes, maxModelLen, blockSize: knobs.blockSize,
    prefixCachingSet: plan.knobs.enablePrefixCaching?.value, maxNumSeqs: knobs.maxNumSeqs,
    sglang: { fullMemoryRatio: plan.knobs.mambaFullMemoryRatio?.value, maxMambaCacheSize: plan.knobs.maxMambaCacheSize?.value, disableRadixCache: plan.knobs.enablePrefixCaching?.value === false },
  });
  let split: HybridPool | undefined;
  const served = servesArchitecture(r.engine.engine.name, model);
  if (served) log.refuse('engine-architecture', served, plan.engine.name.source ?? plan.model.ref.source);
  const loraSet = resolveLora(r.engine.engine.name, plan.knobs.lora?.value, plan.knobs.maxLoras?.value, plan.knobs.maxLoraRank?.value, r.engine.version, model);
  const lora = loraSet && { ...loraSet, ...loraMemory(model, loraSet, par, model.dtypeBytes, mnbt, knobs.maxNumSeqs) };
  const cpuLoras = plan.knobs.lora?.value.maxCpuLoras;
  // vLLM config/lora.py LoRAConfig validation: "max_cpu_loras must be >= max_loras" (a ValueError at startup).
  if (lora && lora.engine === 'vllm' && cpuLoras && cpuLoras.value < lora.slots) {
    log.refuse('invalid-value', `max-cpu-loras ${cpuLoras.value} is below max-loras ${lora.slots}: vLLM refuses to start ("max_cpu_loras must be >= max_loras"); estimated with ${lora.slots} CPU-cached adapters`, cpuLoras.source);
  }
  if (lora) {
    const g = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
    log.assume(`LoRA: ${lora.slots} slot${lora.slots === 1 ? '' : 's'} at rank ${lora.rank} on ${lora.modules.join(', ') || 'no module'} take ${g(lora.bytesPerGpu)} per GPU, off the KV budget${lora.hostBytesPerWorker > 0 ? `; ${lora.cpuCached} CPU-cached adapters up to ${g(lora.hostBytesPerWorker)} of host RAM per worker` : ''}`, ...lora.notes);
  }
  // --cpu-offload-gb moves weights to pinned host RAM before the KV budget is sized (offload.ts).
  const offload = weightOffload(plan.knobs.cpuOffloadGb?.value ?? 0, weightsComponent(model, r.formats.format, par, r.params, r.load).bytesPerGpu, hostLinkOf(gpu));
  if (offload) log.assume(describeOffload(offload));
  const mem = planMemory({
    offloadedWeightBytes: offload?.offloadedBytesPerGpu,
    model, params: r.params, format: r.formats.format, par, gpu, engine: r.engine.engine, version: r.engine.version,
    maxNumBatchedTokens: mnbt, maxNumSeqs: knobs.maxNumSeqs, cudaGraphs: knobs.cudaGraphs, utilization: knobs.gpuMemoryUtilization,
    // Custom all-reduce and NCCL buffers exist whenever a GPU talks to others: a rank's TP group or a shared expert group.
    commGpus: par.tp * (par.dpShared ? dp.ranks : 1),
    load: r.load,
    lora,
    features: { encoderCacheBytes: r.mm?.encoderCacheBytes, encoderActivationBytes: r.mm?.encoderActivationBytes },
    ...(r.drafter?.weightsBytesPerGpu ? { drafter: { bytesPerGpu: r.drafter.weightsBytesPerGpu, source: 'speculative drafter weights as the engine loads them (vLLM spec_decode/eagle.py load_model, deepseek_mtp.py; SGLang eagle_worker.py): drafter.ts' } } : {}),
    // An engine with its own state pool sizes it from the budget as planMemory finds it (sized once, kept below).
    ...(model.recurrent && r.engine.engine.name !== 'vllm' ? { state: { bytes: (b: number) => (split = hybridPool(hybridInputs(b)))?.statePoolBytes ?? 0, source: 'recurrent-state pool set apart from the KV budget (SGLang mamba-full-memory-ratio, TensorRT-LLM max_batch_size slots)' } } : {}),
  });
  const { pool, components } = mem;
  const hybrid = split ?? hybridPool(hybridInputs(pool.poolBytes));
  if (hybrid) log.assume(hybrid.note);
  const part = (name: Parameters<typeof componentBytes>[1]) => componentBytes(components, name);
  // The figures count the tower as weights (vLLM's "model weights" line includes it); the bar shows it apart.
  const weights = part('weights') + part('tower');
  const activation = part('activations');
  const nonTorch = part('nonTorch');
  const graphs = part('cudaGraphs');
  // The drafter's KV layers share the pool (vLLM: one KV spec over every attention layer; SGLang: cell_size ×
  // (1 + draft layers / target layers)); each running sequence also holds its lookahead slots. Hybrid pools are sized
  // by hybridPool.ts, which does not see the draft layers (said so).
  const draftKv = r.drafter && !hybrid ? r.drafter.kvBytesPerTokenPerGpu : 0;
  if (r.drafter?.kvBytesPerTokenPerGpu && hybrid) log.assume(`the drafter's ${r.drafter.kvLayers} KV layer(s) are not counted in the hybrid model's pool`);
  const targetPerToken = kvBytesPerTokenPerGpu(model, kvElem, par);
  const perTokenGpu = targetPerToken + draftKv;
  const lookaheadBytes = (r.drafter?.lookaheadTokens ?? 0) * perTokenGpu;
  const blockTokens = hybrid?.blockTokens ?? knobs.blockSize;
  // The KV pool proper: what is left once an engine's state pool is carved out (vLLM keeps state in the pool's blocks).
  const kvPool = pool.poolBytes - (hybrid?.statePoolBytes ?? 0);
  // State that rides in vLLM's shared pool beside each request's KV.
  const stateInPool = hybrid && !hybrid.statePoolBytes ? hybrid.statePerRequestPerGpu : 0;
  const kvOfMaxLen = kvBytesForRequestPerGpu(model, kvElem, par, maxModelLen, mnbt, blockTokens) + draftKv * maxModelLen + lookaheadBytes;
  const perRequest = kvOfMaxLen + stateInPool;
  const blocks = kvPool > 0 && perTokenGpu > 0 ? Math.floor(kvPool / (perTokenGpu * blockTokens)) : 0;
  // A model that keeps no KV (an encoder served for pooling) runs as many requests as its scheduler allows.
  const maxConcurrency = hybrid ? dp.ranks * Math.max(0, hybrid.maxConcurrency) : perRequest > 0 ? (dp.ranks * Math.max(0, kvPool)) / perRequest : kvPool > 0 ? dp.ranks * knobs.maxNumSeqs : 0;
  // Capped at the length the engine derives from the model's config (max_position_embeddings, or what a RoPE override
  // extends it to): a longer max_model_len is refused at startup however much KV room there is.
  // With a drafter, the target's share of each token's bytes is what the target-only search may use.
  const targetShare = perTokenGpu > 0 ? targetPerToken / perTokenGpu : 1;
  const lenThatFits = maxModelLenThatFits(model, kvElem, par, mnbt, blockTokens, Math.max(0, (kvPool - stateInPool - lookaheadBytes) * targetShare), contextLimit);
  const overhead = overheadBytes(components);
  const fits = checkFit(log, {
    weights, activation, overhead, poolBytes: kvPool, usedBytes: mem.usedBytes, usableBytes: gpu.usableBytes,
    utilization: knobs.gpuMemoryUtilization, perRequest, maxModelLen, lenThatFits, lenToSet: settableMaxModelLen(lenThatFits, contextLimit), contextLimit,
  }, r.engine.engine, plan);
  checkMaxLenAboveModel(log, plan, r.engine.engine, maxModelLen, contextLimit);
  const tpProblem = tensorParallelProblem(model, par.tp);
  if (tpProblem) log.refuse('tp-divisibility', tpProblem, plan.knobs.tensorParallel?.source);
  const limits = hybrid ? (hybrid.stateRequestLimit !== undefined ? { stateRequestLimit: hybrid.stateRequestLimit } : { stateInPoolBytes: hybrid.statePerRequestPerGpu }) : draftKv || lookaheadBytes ? { draftKv: { perTokenBytes: draftKv, lookaheadBytes } } : {};
  const memory: Estimate['memory'] = {
    weightsBytesPerGpu: weights, activationBytesPerGpu: activation, cudaGraphBytesPerGpu: graphs, nonTorchBytesPerGpu: nonTorch,
    overheadBytesPerGpu: overhead, kvPoolBytesPerGpu: part('kvPool'), kvBytesPerTokenPerGpu: perTokenGpu,
    // Every data-parallel rank holds its own requests' KV: the replica's pool is the ranks' pools together.
    kvCapacityTokens: (hybrid ? hybrid.capacityTokens : blocks * blockTokens) * dp.ranks, kvBytesPerMaxLenRequest: perRequest, maxConcurrency: Math.floor(maxConcurrency * 100) / 100,
    maxModelLenThatFits: lenThatFits, fits, poolFormula: hybrid?.statePoolBytes ? `${pool.formula} − recurrent-state pool ${(hybrid.statePoolBytes / 2 ** 30).toFixed(2)} GiB` : pool.formula, components,
    stateBytesPerRequestPerGpu: hybrid?.statePerRequestPerGpu ?? 0, kvBlockTokens: blockTokens,
    ...(lora ? { lora } : {}),
    ...(offload ? { cpuOffload: offload } : {}),
  };
  return { memory, limits };
}

function assemble(r: Resolved, memory: Estimate['memory'], point: OperatingPoint, x: Deployment, log: IssueLog): Estimate {
  const { plan, model, params, gpu, layout, serving } = r;
  const w = plan.workload;
  const k = serving.knobs;
  const counts = layerCounts(model);
  return {
    model: {
      id: plan.model.ref.value, architecture: model.architecture, modelType: model.modelType, params: params.total, activeParams: params.active, layers: model.layers,
      kvBytesPerToken: kvBytesPerToken(model, r.formats.kvElem), maxPositions: model.maxPositions, contextLimit: serving.contextLimit, ropeScaled: !!model.ropeScaling,
      genericRead: !!model.unmodelled && !model.unmodelled.textModelExact, heads: model.heads, kvHeads: model.kvHeads, mla: !!model.mla, experts: model.moe?.numExperts ?? 0,
      visionParams: params.encoders, mtpParams: params.mtp, stateBytesPerRequest: stateBytesPerRequest(model),
      attentionLayers: counts.attention, recurrentLayers: counts.recurrent, windowKvBytes: windowKvBytesPerToken(model, r.formats.kvElem),
      ...servingKindOf(plan.model.ref.value, model),
    },
    hardware: { gpu: gpu.id, gpuName: gpu.name, count: layout.count, replicas: positiveInt(plan.hardware.replicas.value, 1, 1e6), memoryBytesPerGpu: gpu.usableBytes, pricePerHour: plan.hardware.pricePerHour?.value ?? gpu.pricePerHour, nativeFormats: gpu.native },
    serving: {
      engine: plan.engine.name.value, engineVersion: r.engine.versionText, tensorParallel: layout.tp, pipelineParallel: layout.pp, expertParallel: layout.ep, dataParallel: layout.dp.ranks, maxNumSeqsPerRank: k.maxNumSeqs, weightDtype: r.formats.format.name,
      kvCacheDtype: r.formats.kvDtype, computeDtype: point.computeDtype, maxModelLen: serving.maxModelLen, maxNumSeqs: serving.maxNumSeqsSet, maxNumBatchedTokens: k.maxNumBatchedTokens, gpuMemoryUtilization: k.gpuMemoryUtilization,
      chunkedPrefill: k.chunkedPrefill, prefixCaching: k.prefixCaching, cudaGraphs: k.cudaGraphs, firstChunkIterations: k.firstChunkIterations ?? 0,
    },
    memory,
    ...(r.mm ? { multimodal: { towerLoaded: r.mm.towerLoaded, towerReplicated: r.mm.towerReplicated, maxTokensPerImage: r.mm.maxTokensPerImage, imageLimit: r.mm.imageLimit, encoderBudgetTokens: r.mm.encoderBudgetTokens, profiledItems: r.mm.profiledItems, imagesPerRequest: plan.workload.imagesPerRequest?.value ?? 0 } } : {}),
    latency: { ...point.latency, concurrency: point.concurrency },
    workload: { inputLen: x.inputLen, outputLen: x.outputLen, concurrency: w.concurrency.value === 'max' ? 'max' : point.concurrency, prefixHitRate: point.prefixHitRate },
    assumptions: log.assumptions,
    issues: log.issues,
  };
}

function servingKindOf(id: string, model: ModelSpec): { servingKind?: NonNullable<ReturnType<typeof modelKind>> } {
  const kind = modelKind(id, model);
  return kind ? { servingKind: kind } : {};
}
