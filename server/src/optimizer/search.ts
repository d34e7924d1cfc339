/**
 * The cheapest plans that meet an SLO: GPU × TP/PP/EP (and, for MoE models on SGLang and TensorRT-LLM, DP attention)
 * × weight and KV precision × max-num-seqs × chunk size × engine × replicas — only what each engine runs on each GPU
 * (support.ts), datacenter GPUs unless asked (gpuChoice.ts), batch caps from the file's own up, and replicas enough to
 * hold the whole workload at once (a layout is one plan whatever its replica count).
 *
 * 1. Screen: every candidate gets the estimator's own memory sizing (same functions, same engine pool formulas) and a
 *    closed-form steady state of continuous batching built from the estimator's step model (steadyState.ts). Step
 *    times are memoised per layout and shared across engines, which is what makes ~10^6 candidates per second
 *    possible. Candidates that do not fit, or miss the SLO by more than SCREEN_SLACK, are ruled out.
 * 2. Verify: survivors, cheapest screened cost first, go through the full estimator (the batching simulation) and the
 *    rules; a candidate with an error or warning finding is dropped. The file's own GPU is verified first on a share of
 *    the budget, then the others; each stops once enough distinct layouts meet the SLO and no unverified candidate
 *    could still beat them. Plans on the file's GPU are listed first.
 * Every plan returned as meeting the SLO is a full estimate that meets it, and that the tool's own rules accept.
 */
import { modelKind, servedForPooling } from '../estimator/poolingModel';
import type { GpuSpec } from '../catalog/gpus';
import { catalogConfig } from '../catalog/models';
import type { Estimate, EstimatorDeps } from '../estimator/estimate';
import { derivedMaxLen, longContextPolicy } from '../estimator/contextLength';
import { dataParallelLayout } from '../estimator/dataParallel';
import { engines } from '../estimator/engines';
import { parseVersion } from '../estimator/engines/types';
import { buildStepModel, FRONTEND_SEC, prefill, StepModel } from '../estimator/latency';
import { cudaGraphBytes, kvBytesForRequestPerGpu, nonTorchBytes, Parallelism, stateBytesPerRequestPerGpu, tensorParallelProblem, weightBytesPerGpu } from '../estimator/memory';
import { countParams, modelFromConfig, ModelSpec } from '../estimator/model';
import { kvDtypeBytes, kvDtypeFrom, weightFormatFromFlag, WeightFormat } from '../estimator/quantization';
import { byDefault, DeploymentPlan, EngineKnobs, EngineName, Sourced, sourced } from '../plan/types';
import { searchDescription } from './describe';
import { judge } from './ruleCheck';
import { fileGpu, searchGpus } from './gpuChoice';
import { statesWorkload } from './overrides';
import { byCost, paretoBy, round, sloMiss, whyRunnerUpLost } from './rows';
import { costPerMillion, memoDecode, memoMarginalPrefill, steadyFigures } from './steadyState';
import { runsFp8Kv, runsFp8Weights, runsOn, runsPipeline } from './support';
import type { OptimizeRequest, OptimizeResult, PlanRow } from './types';

/** Batch caps and prefill chunk sizes worth trying: the engines' defaults and the powers of two around them. */
const MAX_NUM_SEQS = [8, 16, 32, 64, 128, 256, 512, 1024];
const CHUNK_SIZES = [2048, 4096, 8192, 16384];
const TENSOR_PARALLEL = [1, 2, 4, 8];
const PIPELINE_PARALLEL = [1, 2, 4];
/** Full estimates the verify phase may run (≈ 1 ms each, with the rules run on each). */
const VERIFY_BUDGET = 150;
/** Of them, the most spent on the file's own GPU before the others. */
const ON_FILE_GPU_BUDGET = 60;
/**
 * The screen's steady-state figures are approximations of the simulation, not strict bounds: a candidate is ruled out
 * only when it misses the SLO by more than this margin.
 */
const SCREEN_SLACK = 0.15;
/** The screen's cost is within a few percent of the full estimate's on the catalog models (2–3 % typical, TGI's
 *  prefill-first schedule the widest): verification stops once the screen's cost, less this, cannot win. */
const COST_SLACK = 0.08;
const GPUS_PER_NODE = 8;
/** Engines with data-parallel attention for MoE models (dataParallel.ts): SGLang --enable-dp-attention, TensorRT-LLM
 *  enable_attention_dp. */
const ATTENTION_DP_ENGINES: EngineName[] = ['sglang', 'trtllm'];

interface Candidate {
  engine: EngineName;
  gpu: GpuSpec;
  par: Parallelism;
  format: WeightFormat;
  quantization?: string;
  kvFlag: string;
  kvDtype: string;
  maxNumSeqs: number;
  chunk: number;
  replicas: number;
  /** The screen's figures: cost per million output tokens and TPOT. */
  screenCost: number;
  screenTpotMs: number;
}

export interface SearchInput {
  plan: DeploymentPlan;
  request: OptimizeRequest;
}

export function optimize({ plan, request: req }: SearchInput, deps: EstimatorDeps): OptimizeResult {
  const notes: string[] = [];
  const searchedFor = searchDescription(req);
  const hub = plan.model.config || catalogConfig(plan.model.ref.value) ? undefined : deps.models?.lookup(plan.model.ref.value);
  const config = plan.model.config ?? catalogConfig(plan.model.ref.value) ?? (hub && 'config' in hub ? hub.config : undefined);
  if (!config) return { plans: [], frontier: [], searched: 0, verified: 0, notes: [`Unknown model "${plan.model.ref.value}": no config.json and not in the built-in catalog.`], searchedFor };
  const model = modelFromConfig(plan.model.ref.value, config, { hfQuantConfig: plan.model.hfQuantConfig });
  // The search ranks plans by cost per million output tokens under a decode load; a pooling deployment emits none.
  if (servedForPooling(plan, modelKind(plan.model.ref.value, model))) {
    return { plans: [], frontier: [], searched: 0, verified: 0, searchedFor, notes: ['Pooling deployment (embeddings, scores, rewards): the plan search ranks decode cost per output token and does not search pooling plans yet; the estimate gives its prompts/s and tokens/s.'] };
  }
  const params = countParams(model);
  const onFile = fileGpu(plan, deps);
  const gpus = searchGpus(req.gpus, onFile, deps, notes, plan);
  const I = Math.max(1, req.inputLen);
  const O = Math.max(1, req.outputLen);
  const hit = Math.min(0.99, Math.max(0, plan.workload.prefixHitRate?.value ?? 0));
  const computed = Math.max(1, Math.round(I * (1 - hit)));
  // Plans are sized for the max-model-len the applied file runs: the file's own, else the engine's default (the length
  // it derives from the model's config) — a plan sized for less would not start once applied. A file's length above
  // what the engine accepts for this model is refused at startup, so plans use (and write) the accepted one.
  const limit = derivedMaxLen(plan.engine.name.value, model, plan.knobs.ropeScaling?.value);
  const refusesLong = longContextPolicy(plan.engine.name.value).refuses && !plan.engine.allowLongContext?.value;
  let maxModelLen = plan.knobs.maxModelLen?.value ?? limit;
  if (!plan.knobs.maxModelLen) notes.push(`max-model-len ${maxModelLen} (the model's context, the engine's default, since the file does not set one): set a shorter one in the file to search for plans that need less KV room`);
  else if (maxModelLen > limit && refusesLong) {
    notes.push(`the file's max-model-len ${maxModelLen} is above the ${limit} tokens ${plan.engine.name.value} accepts for this model, which it refuses at startup: plans are sized for ${limit} and set it`);
    maxModelLen = limit;
  }
  // A plan keeps that max-model-len: requests longer than it are refused whatever the hardware.
  if (I + O > maxModelLen) {
    return { plans: [], frontier: [], searched: 0, verified: 0, searchedFor, notes: [`No candidate: requests of ${I + O} tokens (${I} + ${O}) exceed max-model-len ${maxModelLen}, which the engine refuses; raise max-model-len or search for shorter requests.`] };
  }
  if (!statesWorkload(plan) && req.concurrency === 1 && req.requestRate === undefined) {
    notes.push('one request in flight, the default: the file states no load (give --concurrency or --request-rate, or a workload in the file; the editor asks)');
  }
  const slo = req.slo;
  const seqCaps = batchCaps(plan);
  if (seqCaps[0] !== MAX_NUM_SEQS[0]) notes.push(`max-num-seqs from the file's ${seqCaps[0]} up: a plan never lowers the batch cap the file set`);
  const fileEngine = plan.engine.name.value;
  const fileKnobs = plan.knobs;

  const weightOptions: Array<{ format: WeightFormat; quantization?: string }> = [{ format: model.weightFormat }];
  if (model.weightFormat.name === 'bf16') weightOptions.push({ format: weightFormatFromFlag('fp8', model.weightFormat), quantization: 'fp8' });
  const kvOptions = [{ flag: 'auto', dtype: kvDtypeFrom('auto', model) }];
  if (kvOptions[0].dtype !== 'fp8') kvOptions.push({ flag: 'fp8', dtype: 'fp8' });

  let searched = 0;
  const survivors: Candidate[] = [];
  const ctx = I + O / 2;
  // Step times differ between engines only by their per-step overhead (latency.ts adds engine.stepOverheadSec last),
  // so one step model per layout serves every engine, shifted by the difference. It is built with the overlap
  // scheduler off (the reference's overhead added in full); an engine whose overlap hides its overhead (vLLM's async
  // scheduling) is shifted down by all of it, so the screen stays a lower bound for it. Eager prompt steps' host time
  // (SGLang's eagerPromptHostSecPerMoeLayer) is left out for the same reason; the verify phase's estimate adds it.
  const reference = { ...engines[req.engines[0] ?? 'vllm'], eagerPromptHostSecPerMoeLayer: undefined };
  for (const gpu of gpus) {
    for (const par of layouts(model, req.maxGpus)) {
      // A data-parallel rank runs its share of the requests; the screen's figures are one rank's, times the ranks.
      const ranks = par.dp ?? 1;
      const gpusPerReplica = par.tp * par.pp * ranks;
      const maxReplicas = Math.floor(req.maxGpus / gpusPerReplica);
      const perGroup = seqCaps.length * CHUNK_SIZES.length * maxReplicas;
      const nodes = Math.ceil(gpusPerReplica / GPUS_PER_NODE);
      const nonTorch = nonTorchBytes(engineTp(par), gpu);
      const graphs = cudaGraphBytes(model, par);
      const state = stateBytesPerRequestPerGpu(model, par);
      const price = gpu.pricePerHour * gpusPerReplica;
      for (const w of weightOptions) {
        const weights = weightBytesPerGpu(model, w.format, par, params);
        for (const kv of kvOptions) {
          const kvElem = kvDtypeBytes(kv.dtype);
          let step: StepModel | undefined;
          let decode: (batch: number) => number = () => 0;
          let marginal: (batch: number, chunk: number) => number = () => 0;
          const alone = new Map<number, number>();
          for (const engineName of req.engines) {
            // Only what the engine runs on this GPU (support.ts): no TensorRT-LLM FP8 on Ampere, no FP8 KV without FP8 tensor cores.
            if (!runsOn(engineName, gpu) || (par.pp > 1 && !runsPipeline(engineName))) continue;
            if (w.format.compute === 'fp8' && !runsFp8Weights(engineName, gpu)) continue;
            if (kv.dtype === 'fp8' && !runsFp8Kv(engineName, gpu)) continue;
            if (par.dpShared && !ATTENTION_DP_ENGINES.includes(engineName)) continue;
            searched += perGroup;
            const engine = engines[engineName];
            // The file's own engine keeps the file's version and the memory knobs the search does not vary.
            const same = engineName === fileEngine;
            const version = parseVersion(same ? plan.engine.version?.value ?? engine.newestVersion : engine.newestVersion, engine.newestVersion);
            const defaults = engine.defaults(gpu, version, engineTp(par), par.pp, maxModelLen);
            const utilization = (same ? fileKnobs.gpuMemoryUtilization?.value : undefined) ?? defaults.gpuMemoryUtilization;
            const blockSize = (same ? fileKnobs.blockSize?.value : undefined) ?? defaults.blockSize;
            const graphBytes = same && fileKnobs.enforceEager?.value ? 0 : graphs;
            if (weights >= gpu.usableBytes * utilization) continue;
            if (!step) {
              step = buildStepModel({ model, params, format: w.format, kvElementBytes: kvElem, gpu, par, engine: reference, knobs: { ...defaults, chunkedPrefill: true, overlapScheduling: false }, nodes });
              decode = memoDecode(step, ctx);
              marginal = memoMarginalPrefill(step, ctx, computed, I);
            }
            const shift = (engine.overheadHiddenByOverlap && defaults.overlapScheduling ? 0 : engine.stepOverheadSec) - reference.stepOverheadSec;
            // The two cheapest batch/chunk variants per replica count: all the verify phase may try of one layout.
            const kept: Candidate[][] = Array.from({ length: maxReplicas + 1 }, () => []);
            for (const chunk of CHUNK_SIZES) {
              let prefillAlone = alone.get(chunk);
              if (prefillAlone === undefined) alone.set(chunk, (prefillAlone = prefill(step, 0, 0, computed, I, chunk)));
              const ttftSec = prefillAlone + Math.ceil(computed / chunk) * shift + FRONTEND_SEC;
              // A prompt alone is a true lower bound on TTFT: no slack needed.
              if (slo.ttftMs !== undefined && ttftSec * 1e3 > slo.ttftMs) continue;
              // A hybrid model's recurrent state rides with every request (unpadded here: the screen stays optimistic,
              // and every survivor is verified by the full estimate, which sizes the engine's own state pool).
              const requestKv = kvBytesForRequestPerGpu(model, kvElem, par, I + O, chunk, blockSize) + state;
              const maxLenKv = kvBytesForRequestPerGpu(model, kvElem, par, maxModelLen, chunk, blockSize) + state;
              for (const mns of seqCaps) {
                const activation = engine.activationPeak(model, chunk, mns, par, gpu, version);
                const pool = engine.kvPool({ totalBytes: gpu.usableBytes, weightsBytes: weights, activationBytes: activation, nonTorchBytes: nonTorch, cudaGraphBytes: graphBytes, utilization }, version);
                if (pool.poolBytes <= 0 || maxLenKv > pool.poolBytes || weights + activation + nonTorch + graphBytes + pool.poolBytes > gpu.usableBytes) continue;
                const slots = Math.min(mns, Math.floor(pool.poolBytes / requestKv));
                for (let r = 1; r <= maxReplicas; r++) {
                  let inFlight: number;
                  if (req.requestRate !== undefined) inFlight = Math.ceil((req.requestRate / (r * ranks)) * (ttftSec + (O - 1) * (decode(1) + shift)));
                  else if (req.concurrency !== undefined) inFlight = Math.ceil(req.concurrency / (r * ranks));
                  else inFlight = slots;
                  // A replica more than the workload fills adds cost and nothing else.
                  if (req.concurrency !== undefined && (r - 1) * ranks >= req.concurrency) break;
                  // The deployment holds the whole workload at once (its replicas are the ones the workload needs):
                  // requests beyond a replica's batch or KV room would queue behind it.
                  if (inFlight > slots) continue;
                  const running = Math.max(1, inFlight);
                  const f = steadyFigures(decode(running) + shift, marginal(running, chunk), ttftSec, running, inFlight, O);
                  if (slo.ttftMs !== undefined && f.ttftSec * 1e3 * (1 - SCREEN_SLACK) > slo.ttftMs) continue;
                  if (slo.tpotMs !== undefined && f.tpotSec * 1e3 * (1 - SCREEN_SLACK) > slo.tpotMs) continue;
                  // Each rank runs its ceil share; the deployment as a whole keeps only the workload's requests in flight.
                  const share = req.concurrency !== undefined ? req.concurrency / (r * ranks * inFlight) : 1;
                  const throughput = r * ranks * f.outputPerSec * share;
                  if (slo.minThroughput !== undefined && throughput * (1 + SCREEN_SLACK) < slo.minThroughput) continue;
                  const cost = costPerMillion(price * r, throughput);
                  const slot = kept[r];
                  if (slot.length === 2 && cost >= slot[1].screenCost) continue;
                  const c: Candidate = {
                    engine: engineName, gpu, par, format: w.format, quantization: w.quantization, kvFlag: kv.flag, kvDtype: kv.dtype,
                    maxNumSeqs: mns, chunk, replicas: r, screenCost: cost, screenTpotMs: f.tpotSec * 1e3,
                  };
                  if (slot.length === 2) slot.pop();
                  slot.push(c);
                  if (slot.length === 2 && slot[1].screenCost < slot[0].screenCost) slot.reverse();
                }
              }
            }
            for (const slot of kept) survivors.push(...slot);
          }
        }
      }
    }
  }

  const gpusOf = (c: Candidate) => engineTp(c.par) * c.par.pp * c.replicas;
  survivors.sort((a, b) => a.screenCost - b.screenCost || gpusOf(a) - gpusOf(b));
  // Warnings the file already has about knobs a plan leaves as they are (prefix caching, memory fraction) are not the
  // plan's doing; any other error or warning on a candidate drops it.
  const tolerated = survivors.length ? fileWarnings(plan, deps) : new Set<string>();
  const onFileRows = new Map<string, PlanRow>();
  const otherRows = new Map<string, PlanRow>();
  const nearMisses: PlanRow[] = [];
  let verified = 0;
  const flagged = new Map<string, number>();
  const rowsOf = (c: Candidate) => (c.gpu === onFile ? onFileRows : otherRows);
  const verify = (c: Candidate): void => {
    verified++;
    const checked = judge(candidatePlan(plan, c, req, maxModelLen), deps);
    const e = checked.estimate;
    const bad = [...checked.errors, ...checked.warnings.filter((code) => !tolerated.has(code))].filter((code) => code !== 'slo-miss');
    if (bad.length) {
      for (const code of new Set(bad)) flagged.set(code, (flagged.get(code) ?? 0) + 1);
      return;
    }
    if (!e) return;
    const row = toRow(c, e, req, maxModelLen, onFile);
    if (!row.meetsSlo) {
      nearMisses.push(row);
      return;
    }
    const rows = rowsOf(c);
    const key = layoutKey(c);
    const prev = rows.get(key);
    if (!prev || byCost(row, prev) < 0) rows.set(key, row);
  };
  const kthCost = (rows: Map<string, PlanRow>, want: number) => {
    const costs = [...rows.values()].map((p) => p.costPerMillionOutputTokens).sort((a, b) => a - b);
    return costs.length >= want ? costs[want - 1] : Infinity;
  };
  let stopped = false;
  /** Cheapest screened first, until `want` layouts meet the SLO and no unverified candidate could still beat them. */
  const verifyCheapest = (list: Candidate[], want: number, budget: number) => {
    const until = verified + budget;
    for (const c of list) {
      if (verified >= until) {
        stopped = true;
        break;
      }
      const rows = rowsOf(c);
      if (c.screenCost * (1 - COST_SLACK) >= kthCost(rows, want)) break;
      // One plan per layout (whatever its replicas): another variant is tried only when the first did not make it.
      if (!rows.has(layoutKey(c))) verify(c);
    }
  };
  // The file's own GPU first, on a share of the budget, so its plans are shown even when other GPUs are cheaper.
  const fileShare = Math.ceil(req.limit / 2);
  if (onFile) verifyCheapest(survivors.filter((c) => c.gpu === onFile), fileShare, ON_FILE_GPU_BUDGET);
  verifyCheapest(onFile ? survivors.filter((c) => c.gpu !== onFile) : survivors, req.limit, VERIFY_BUDGET - verified);
  if (stopped) notes.push(`verification stopped after ${verified} full estimates; cheaper plans may exist beyond them`);
  // Faster-but-dearer plans for the frontier: the screen's own Pareto set, verified.
  for (const c of paretoBy(survivors, (c) => c.screenCost, (c) => c.screenTpotMs).slice(0, 12)) {
    if (verified >= VERIFY_BUDGET + 12) break;
    if (!rowsOf(c).has(layoutKey(c))) verify(c);
  }
  if (flagged.size) notes.push(`candidates dropped because Deploy Advisor's own rules flag them once estimated: ${[...flagged].map(([code, n]) => `${code} × ${n}`).join(', ')}`);

  const onFileMeeting = [...onFileRows.values()].sort(byCost);
  const otherMeeting = [...otherRows.values()].sort(byCost);
  const meeting = [...onFileMeeting, ...otherMeeting].sort(byCost);
  const fromFile = Math.min(onFileMeeting.length, Math.max(fileShare, req.limit - otherMeeting.length));
  let plans = [...onFileMeeting.slice(0, fromFile), ...otherMeeting.slice(0, req.limit - fromFile)];
  if (plans.length === 0) {
    notes.push(survivors.length === 0
      ? `No candidate fits and comes within ${SCREEN_SLACK * 100} % of the SLO in the screen: relax the SLO, allow more GPUs (--max-gpus) or other GPU types.`
      : 'No candidate meets the SLO once fully estimated; the closest are shown (meetsSlo false).');
    plans = nearMisses.sort((a, b) => Number(!!b.onFileGpu) - Number(!!a.onFileGpu) || sloMiss(a, slo) - sloMiss(b, slo)).slice(0, 3);
  } else if (meeting.length > 1) {
    notes.push(whyRunnerUpLost(meeting[0], meeting[1]));
  }
  if (onFile && gpus.includes(onFile) && meeting.length) {
    if (!onFileMeeting.length) notes.push(`no plan on the file's ${onFile.id} meets the SLO within ${req.maxGpus} GPUs: plans on other GPUs only`);
    else if (otherMeeting.length && otherMeeting[0].costPerMillionOutputTokens < onFileMeeting[0].costPerMillionOutputTokens) {
      notes.push(`plans on the file's ${onFile.id} are listed first; the cheapest on another GPU (${otherMeeting[0].gpu}) costs $${otherMeeting[0].costPerMillionOutputTokens.toFixed(3)}/M output tokens against $${onFileMeeting[0].costPerMillionOutputTokens.toFixed(3)}/M`);
    }
  }
  if (gpus.length && req.maxGpus > GPUS_PER_NODE) notes.push(`plans over ${GPUS_PER_NODE} GPUs per replica span nodes: their tensor/pipeline traffic between nodes assumes each GPU type's per-GPU network bandwidth from the catalog (interNode), not NVLink`);
  notes.push('plans use each engine\'s defaults for knobs the search does not vary (memory fraction, block size, prefix caching) unless the file sets them; weight precision options are the checkpoint\'s own and, for 16-bit checkpoints, FP8 online quantization (weight-only Marlin FP8 on GPUs without FP8 tensor cores)');
  const frontier = paretoBy(meeting, (p) => p.costPerMillionOutputTokens, (p) => p.tpotMs).sort(byCost);
  return { plans, frontier, searched, verified, notes, searchedFor };
}


/** max-num-seqs values to try: from the file's own cap up (a plan never lowers it), else the whole ladder. */
function batchCaps(plan: DeploymentPlan): number[] {
  const set = plan.knobs.maxNumSeqs?.value;
  if (set === undefined || !Number.isFinite(set) || set < 1) return MAX_NUM_SEQS;
  const floor = Math.floor(set);
  return [floor, ...MAX_NUM_SEQS.filter((v) => v > floor)];
}

/**
 * Rule codes that say a plan does not serve the workload as it should: a candidate with one of these is dropped even
 * when the file already has it.
 */
const NEVER_TOLERATED = new Set(['kv-limits-concurrency', 'rate-exceeds-capacity', 'kv-dtype-not-native', 'gpu-count-mismatch']);

/** The warning codes the file's plan has as it stands. */
function fileWarnings(plan: DeploymentPlan, deps: EstimatorDeps): Set<string> {
  return new Set(judge(plan, deps).warnings.filter((code) => !NEVER_TOLERATED.has(code)));
}

/**
 * TP × PP × EP layouts the model's shapes allow (same divisibility rules the estimator enforces) and, for MoE models,
 * DP attention over the same GPUs: every GPU its own attention rank (attention TP 1, its own requests and KV cache),
 * the MoE/MLP layers over all of them — what DeepSeek-style deployments run (dataParallel.ts).
 */
function layouts(m: ModelSpec, maxGpus: number): Parallelism[] {
  const out: Parallelism[] = [];
  for (const tp of TENSOR_PARALLEL) {
    for (const pp of PIPELINE_PARALLEL) {
      if (tp * pp > maxGpus || pp > m.layers) continue;
      const eps = m.moe && tp > 1 && tp <= m.moe.numExperts ? [1, tp] : [1];
      if (!tensorParallelProblem(m, tp)) for (const ep of eps) out.push({ tp, pp, ep });
      if (m.moe && tp > 1) for (const ep of eps) out.push({ tp: 1, pp, ep, dp: tp, dpShared: 'mlp' });
    }
  }
  return out;
}

/** A layout without its replica count: replicas of one plan are one row, carrying the replicas the workload needs. */
const layoutKey = (c: Candidate) => `${c.engine}|${c.gpu.id}|${c.par.tp}|${c.par.pp}|${c.par.ep}|${c.par.dp ?? 1}|${c.format.name}|${c.kvDtype}`;
/** Whether the engine's max-num-seqs knob is the whole server's rather than one rank's (the screen's is one rank's). */
const seqCapCountsAllRanks = (c: Candidate) => !!c.par.dpShared && !!dataParallelLayout(c.engine, engineTp(c.par), c.par.dp ?? 1, true, true).seqCapCountsAllRanks;
/** Tensor-parallel size as the engine's config spells it: DP attention's ranks split the tp-size GPUs. */
const engineTp = (par: Parallelism) => par.tp * (par.dpShared ? par.dp ?? 1 : 1);

/** Knobs the search does not vary that a plan on the file's own engine keeps as the file sets them. */
const CARRIED: Array<keyof EngineKnobs> = ['gpuMemoryUtilization', 'enablePrefixCaching', 'enforceEager', 'blockSize', 'mixedChunk', 'disableOverlap', 'asyncScheduling', 'speculative'];

function candidatePlan(base: DeploymentPlan, c: Candidate, req: OptimizeRequest, maxModelLen: number): DeploymentPlan {
  const src = { kind: 'inferred' as const, note: 'optimizer candidate' };
  const s = <T>(v: T) => sourced(v, src);
  const perReplica = req.concurrency !== undefined ? Math.ceil(req.concurrency / c.replicas) : undefined;
  const same = c.engine === base.engine.name.value;
  const carried: Partial<Record<keyof EngineKnobs, Sourced<unknown>>> = {};
  if (same) for (const k of CARRIED) if (base.knobs[k]) carried[k] = base.knobs[k];
  const goal = (v: number | undefined) => (v !== undefined ? s(v) : undefined);
  return {
    ...base,
    hardware: { gpu: s(c.gpu.id), count: s(engineTp(c.par) * c.par.pp), replicas: s(c.replicas) },
    engine: same ? base.engine : { name: s(c.engine) },
    knobs: {
      ...(carried as EngineKnobs),
      dtype: base.knobs.dtype,
      tensorParallel: s(engineTp(c.par)), pipelineParallel: s(c.par.pp), expertParallel: s(c.par.ep),
      ...(c.par.dpShared ? { attentionDataParallel: s(true), ...(c.engine === 'sglang' ? { dataParallel: s(c.par.dp ?? 1) } : {}) } : {}),
      quantization: c.quantization ? s(c.quantization) : undefined, kvCacheDtype: s(c.kvFlag),
      maxModelLen: s(maxModelLen), maxNumSeqs: s(c.maxNumSeqs * (seqCapCountsAllRanks(c) ? c.par.dp ?? 1 : 1)), maxNumBatchedTokens: s(c.chunk), enableChunkedPrefill: s(true),
    },
    workload: {
      inputLen: s(req.inputLen), outputLen: s(req.outputLen),
      concurrency: req.requestRate !== undefined ? byDefault(1, 'open loop') : s(perReplica ?? 'max'),
      requestRate: req.requestRate !== undefined ? s(req.requestRate / c.replicas) : undefined,
      prefixHitRate: base.workload.prefixHitRate,
    },
    // The SLO searched for (flags and the editor's answer override the file's), so the rules check that one.
    slo: { ttftMs: goal(req.slo.ttftMs), tpotMs: goal(req.slo.tpotMs), minThroughput: goal(req.slo.minThroughput) },
  };
}

function toRow(c: Candidate, e: Estimate, req: OptimizeRequest, maxModelLen: number, onFile: GpuSpec | undefined): PlanRow {
  const slo = req.slo;
  // Replicas each run ceil(C / replicas) requests in the estimate; the deployment keeps C in flight.
  const perReplica = req.concurrency !== undefined ? Math.ceil(req.concurrency / c.replicas) : undefined;
  const throughput = e.latency.outputTokensPerSec * c.replicas * (perReplica ? req.concurrency! / (c.replicas * perReplica) : 1);
  const costPerHour = e.hardware.pricePerHour * e.hardware.count * c.replicas;
  const row: PlanRow = {
    engine: c.engine, gpu: c.gpu.id, gpusPerReplica: e.hardware.count, replicas: c.replicas,
    tensorParallel: engineTp(c.par), pipelineParallel: c.par.pp, expertParallel: c.par.ep, attentionDataParallel: c.par.dpShared ? c.par.dp ?? 1 : 1,
    weightDtype: e.serving.weightDtype, kvCacheDtype: e.serving.kvCacheDtype, maxNumSeqs: e.serving.maxNumSeqs, maxNumBatchedTokens: e.serving.maxNumBatchedTokens, maxModelLen,
    ttftMs: round(e.latency.ttftMs), tpotMs: round(e.latency.tpotMs), outputTokensPerSec: round(throughput),
    costPerHour: round(costPerHour), costPerMillionOutputTokens: round(costPerMillion(costPerHour, throughput)), meetsSlo: false,
    onFileGpu: c.gpu === onFile,
  };
  row.meetsSlo = e.memory.fits && sloMiss(row, slo) === 0;
  return row;
}
