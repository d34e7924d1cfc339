/** The CLI's `--json` contract (scripts and CI depend on these names; do not rename). */
import type { Estimate } from '../estimator/estimate';
import { componentBytes, overheadBytes } from '../estimator/memoryPlan';
import type { Finding } from '../rules/types';
import { deploymentVerdict, VerdictKind } from '../verdict';

export interface EstimateJson {
  model: {
    id: string; architecture: string; params: number; activeParams: number; layers: number; kvBytesPerToken: number;
    /** Added by issue 17 (existing fields keep their meaning): `params` is the language model without vision tower and
     *  MTP layers; these give those apart, the fixed recurrent state per request (whole model, TP 1, unpadded), the
     *  layer split of hybrid models, and the KV bytes per token of sliding-window layers (held within their window). */
    visionParams: number; mtpParams: number; stateBytesPerRequest: number; attentionLayers: number; recurrentLayers: number; windowKvBytes: number;
  };
  hardware: { gpu: string; count: number; replicas: number; memoryBytesPerGpu: number };
  serving: {
    engine: string; tensorParallel: number; pipelineParallel: number; expertParallel: number; weightDtype: string; kvCacheDtype: string;
    maxModelLen: number; maxNumSeqs: number; maxNumBatchedTokens: number; gpuMemoryUtilization: number;
  };
  memory: {
    weightsBytesPerGpu: number; activationBytesPerGpu: number; overheadBytesPerGpu: number; kvPoolBytesPerGpu: number;
    kvCapacityTokens: number; maxConcurrency: number; fits: boolean;
    /** Every memory component per GPU in the engine's order, the KV pool last (the report's memory bar reads the same list). */
    components: Array<{ name: string; bytesPerGpu: number; budget: string; source: string }>;
  };
  latency: { ttftMs: number; tpotMs: number; outputTokensPerSec: number };
  /** Host RAM per replica by tier (estimator/hostMemory.ts), when a tier beyond the engine processes is on. */
  host?: { ramBytes: number; tiers: Array<{ name: string; bytes: number; medium: string; tokens?: number; source: string }> };
  /** Served for pooling: prompts per batch and per second at the workload's input length (estimator/pooling.ts). */
  pooling?: { batchSequences: number; batchTokens: number; batchMs: number; sequencesPerSec: number; tokensPerSec: number; requestMs: number; kv: 'none' | 'prompt-only'; tokenBudget: number; unusedBytesPerGpu: number };
  assumptions: string[];
  findings: Array<{ rule: string; severity: string; message: string }>;
  /** `fits`, `does-not-fit`, or `will-not-start` (an error the engine stops on at startup); the editor shows the same. */
  verdict: VerdictKind;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

export function estimateToJson(e: Estimate, findings: Finding[]): EstimateJson {
  const parts = e.memory.components;
  return {
    model: {
      id: e.model.id, architecture: e.model.architecture, params: e.model.params, activeParams: e.model.activeParams, layers: e.model.layers, kvBytesPerToken: e.model.kvBytesPerToken,
      visionParams: e.model.visionParams, mtpParams: e.model.mtpParams, stateBytesPerRequest: Math.round(e.model.stateBytesPerRequest),
      attentionLayers: e.model.attentionLayers, recurrentLayers: e.model.recurrentLayers, windowKvBytes: e.model.windowKvBytes,
    },
    // Byte counts are whole bytes: catalog memory sizes are written in GiB with two decimals.
    hardware: { gpu: e.hardware.gpu, count: e.hardware.count, replicas: e.hardware.replicas, memoryBytesPerGpu: Math.round(e.hardware.memoryBytesPerGpu) },
    serving: {
      engine: e.serving.engine, tensorParallel: e.serving.tensorParallel, pipelineParallel: e.serving.pipelineParallel, expertParallel: e.serving.expertParallel,
      weightDtype: e.serving.weightDtype, kvCacheDtype: e.serving.kvCacheDtype, maxModelLen: e.serving.maxModelLen, maxNumSeqs: e.serving.maxNumSeqs,
      maxNumBatchedTokens: e.serving.maxNumBatchedTokens, gpuMemoryUtilization: e.serving.gpuMemoryUtilization,
    },
    // The byte figures read the estimate's component list (memoryPlan.ts): a new component lands in the overhead.
    memory: {
      weightsBytesPerGpu: Math.round(componentBytes(parts, 'weights')), activationBytesPerGpu: Math.round(componentBytes(parts, 'activations')),
      overheadBytesPerGpu: Math.round(overheadBytes(parts)), kvPoolBytesPerGpu: Math.round(componentBytes(parts, 'kvPool')),
      kvCapacityTokens: e.memory.kvCapacityTokens, maxConcurrency: e.memory.maxConcurrency, fits: e.memory.fits,
      components: parts.map((c) => ({ name: c.name, bytesPerGpu: Math.round(c.bytesPerGpu), budget: c.budget, source: c.source })),
    },
    latency: { ttftMs: round(e.latency.ttftMs), tpotMs: round(e.latency.tpotMs), outputTokensPerSec: round(e.latency.outputTokensPerSec, 1) },
    ...(e.host?.tiers.some((t) => t.name !== 'engineProcesses') ? { host: { ramBytes: Math.round(e.host.ramBytes), tiers: e.host.tiers.map((t) => ({ name: t.name, bytes: Math.round(t.bytes), medium: t.medium, ...(t.tokens ? { tokens: t.tokens } : {}), source: t.source })) } } : {}),
    ...(e.pooling ? { pooling: {
      batchSequences: e.pooling.batchSequences, batchTokens: e.pooling.batchTokens, batchMs: round(e.pooling.batchMs), sequencesPerSec: round(e.pooling.sequencesPerSec, 1),
      tokensPerSec: round(e.pooling.tokensPerSec, 0), requestMs: round(e.pooling.requestMs), kv: e.pooling.kv, tokenBudget: e.pooling.tokenBudget, unusedBytesPerGpu: Math.round(e.pooling.unusedBytesPerGpu),
    } } : {}),
    assumptions: e.assumptions,
    findings: findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
    verdict: deploymentVerdict(e, findings).kind,
  };
}
