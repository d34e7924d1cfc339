/**
 * Sharding of the model states over the data-parallel GPUs (N) and offload to host memory.
 * ZeRO (Rajbhandari et al. 2019, arXiv 1910.02054): stage 1 partitions the optimizer states, stage 2 also the
 * gradients, stage 3 also the parameters. DeepSpeed keeps 16-bit parameters and gradients in the module and an fp32
 * master copy, fp32 gradients and the states inside its optimizer (16 B/param for AdamW), and its own estimators —
 * the unit-test truth here — count (deepspeed/runtime/zero/stage_1_and_2.py estimate_zero2_model_states_mem_needs;
 * stage3.py estimate_zero3_model_states_mem_needs; docs deepspeed.readthedocs.io/en/latest/memory.html):
 *   ZeRO-1/2 GPU = 4Ψ + 16Ψ/N; with optimizer offload GPU = 2Ψ, CPU = Ψ·max(4N, 16)·1.5
 *   ZeRO-3 GPU = 4·LL + 18Ψ/N; optimizer offload 4·LL + 2Ψ/N (CPU 16Ψ·1.5/nodes); both offloaded 4·LL (CPU
 *   18Ψ·1.5/nodes), LL = the largest layer's parameters (gathered 16-bit parameters and gradients).
 * DeepSpeed's estimator keeps the 16-bit gradients whole at stages 1–2; the engine reduces them into buckets, so
 * this errs high by up to 2Ψ(1 − 1/N) at stage 2 (stated). DeepSpeed's optimizers are fused (no foreach temporaries).
 * FSDP (Zhao et al. 2023, arXiv 2304.11277) shards the module's own parameters (fp32 under mixed precision with a
 * bf16 param_dtype): FULL_SHARD ≈ stage 3 with two units gathered at a time (the one running and the prefetched
 * one), SHARD_GRAD_OP ≈ stage 2 with the 16-bit parameters unsharded between forward and backward.
 */
import type { TrainingInputs } from './types';

export const DEEPSPEED_BUFFER_FACTOR = 1.5;

/** DeepSpeed's estimate_zero2_model_states_mem_needs, returning [cpuBytes, gpuBytes] as it does. */
export function deepspeedZero2ModelStates(totalParams: number, gpusPerNode = 1, nodes = 1, cpuOffload = true, buffer = DEEPSPEED_BUFFER_FACTOR): [number, number] {
  const totalGpus = nodes * gpusPerNode;
  if (cpuOffload) return [Math.trunc(totalParams * Math.max(4 * totalGpus, 16) * buffer), Math.trunc(2 * totalParams)];
  return [Math.trunc(totalParams * 4 * gpusPerNode * buffer), Math.trunc(4 * totalParams + Math.trunc((16 * totalParams) / totalGpus))];
}

/** DeepSpeed's estimate_zero3_model_states_mem_needs, returning [cpuBytes, gpuBytes, largestLayerMemory]. */
export function deepspeedZero3ModelStates(
  totalParams: number, largestLayerParams: number, gpusPerNode = 1, nodes = 1, cpuOffload = true, cpuOffloadParams = true, zeroInit = true, buffer = DEEPSPEED_BUFFER_FACTOR,
): [number, number, number] {
  const totalGpus = nodes * gpusPerNode;
  const gpusFactor = 1 / nodes;
  const ll = 4 * largestLayerParams;
  let cpu: number;
  let gpu: number;
  if (cpuOffload) {
    if (cpuOffloadParams) {
      gpu = ll;
      cpu = zeroInit ? totalParams * 18 * gpusFactor * buffer : totalParams * Math.max(4 * gpusPerNode, 18 * gpusFactor) * buffer;
    } else {
      gpu = ll + Math.trunc((2 * totalParams) / totalGpus);
      cpu = zeroInit ? totalParams * 16 * gpusFactor * buffer : totalParams * Math.max(4 * gpusPerNode, 16 * gpusFactor) * buffer;
    }
  } else {
    gpu = ll + Math.trunc((18 * totalParams) / totalGpus);
    cpu = zeroInit ? largestLayerParams * 4 * gpusPerNode * buffer : totalParams * 4 * gpusPerNode * buffer;
  }
  return [Math.trunc(cpu), Math.trunc(gpu), Math.trunc(ll)];
}

/** Model states before sharding, in the module's convention (weights.ts, gradients.ts, optimizer.ts). */
export interface UnshardedStates {
  /** Trainable parameters (count) and their module bytes. */
  trainableParams: number;
  trainableWeights: number;
  frozenWeights: number;
  gradients: number;
  states: number;
  temporaries: number;
  pageable: number;
  /** DeepSpeed: state bytes per trainable parameter in fp32 (AdamW 8), for its fp32 optimizer. */
  fp32StatesPerParam: number;
  largestLayerParams: number;
}

export interface ShardedStates {
  weights: number;
  gradients: number;
  optimizer: number;
  temporaries: number;
  pageable: number;
  /** Host memory per node taken by offloaded states (DeepSpeed's estimate, its 1.5 buffer included). */
  hostBytesPerNode: number;
  /** NVMe bytes per node (offload to nvme). */
  nvmeBytesPerNode: number;
  notes: string[];
}

export function shardStates(x: TrainingInputs, u: UnshardedStates): ShardedStates {
  const n = Math.max(1, x.gpus);
  const nodes = Math.max(1, Math.ceil(x.gpus / Math.max(1, x.gpusPerNode)));
  const { kind, stage, offloadOptimizer, offloadParams } = x.sharding;
  const notes: string[] = [];
  if (kind === 'none' || (kind === 'fsdp' && stage === 0)) {
    if (n > 1) notes.push(`data parallel over ${n} GPUs without sharding: every GPU holds the full weights, gradients and optimizer states`);
    return { weights: u.trainableWeights + u.frozenWeights, gradients: u.gradients, optimizer: u.states, temporaries: u.temporaries, pageable: u.pageable, hostBytesPerNode: 0, nvmeBytesPerNode: 0, notes };
  }
  const psi = u.trainableParams;
  const ll = u.largestLayerParams;
  if (kind === 'zero') {
    const master = x.precision === 'fp32' ? 0 : 4 + 4; // fp32 master copy + fp32 gradient partition
    const wBytes = x.precision === 'fp32' ? 4 : 2;
    const optimizerFull = psi * (master + u.fp32StatesPerParam);
    const w16 = psi * wBytes;
    const g16 = psi * wBytes;
    const frozen = u.frozenWeights;
    let weights = stage >= 3 ? (w16 + frozen) / n + 2 * ll : w16 + frozen;
    let gradients = stage >= 3 ? 2 * ll : g16;
    let optimizer = stage >= 1 ? optimizerFull / n : optimizerFull;
    let host = 0;
    let nvme = 0;
    if (offloadOptimizer !== 'none') {
      const perNode = stage >= 3 ? (psi * (master + u.fp32StatesPerParam) * DEEPSPEED_BUFFER_FACTOR) / nodes : psi * Math.max(4 * n, master + u.fp32StatesPerParam) * DEEPSPEED_BUFFER_FACTOR;
      if (offloadOptimizer === 'cpu') host += perNode;
      else { nvme += perNode; host += (psi * 4 * DEEPSPEED_BUFFER_FACTOR) / nodes; }
      optimizer = 0;
      if (stage <= 2) gradients = 0; // ZeRO-Offload moves the gradients to host as they are reduced
      notes.push(`ZeRO-${stage} optimizer offload to ${offloadOptimizer}: fp32 master, gradients and optimizer states live on the host (DeepSpeed CPU Adam); GPU keeps the 16-bit parameters`);
    }
    if (offloadParams !== 'none') {
      if (stage < 3) notes.push(`offload_param needs ZeRO-3 (DeepSpeed ignores it at stage ${stage})`);
      else {
        const per = ((w16 + frozen) * DEEPSPEED_BUFFER_FACTOR) / nodes;
        if (offloadParams === 'cpu') host += per;
        else nvme += per;
        weights = 2 * ll;
        notes.push(`ZeRO-3 parameter offload to ${offloadParams}: the GPU holds only the layer being gathered (4 × largest layer with its gradients)`);
      }
    }
    notes.push(`DeepSpeed convention: 16-bit parameters and gradients in the module, fp32 master copy + fp32 gradients + states in the optimizer (${master + u.fp32StatesPerParam} B per trainable parameter), sharded over ${n} GPU(s) at ZeRO-${stage}; its estimator counts the 16-bit gradients whole at stages 1–2`);
    return { weights, gradients, optimizer, temporaries: 0, pageable: 0, hostBytesPerNode: host, nvmeBytesPerNode: nvme, notes };
  }
  // FSDP: the module's own tensors sharded.
  const wTrain = u.trainableWeights;
  const gathered = 2 * 2 * ll; // two 16-bit units in flight (forward prefetch)
  let weights: number;
  if (stage >= 3) weights = (wTrain + u.frozenWeights) / n + gathered;
  else weights = (wTrain + u.frozenWeights) / n + 2 * psi + u.frozenWeights * (1 - 1 / n); // SHARD_GRAD_OP: unsharded 16-bit between forward and backward
  let gradients = stage >= 2 ? u.gradients / n + 2 * ll : u.gradients;
  let optimizer = u.states / n;
  let temporaries = u.temporaries / n;
  let host = 0;
  if (offloadParams !== 'none' || offloadOptimizer !== 'none') {
    // FSDP CPUOffload(offload_params=True) moves parameters, gradients and the optimizer step to the host together.
    host = ((wTrain + u.frozenWeights + u.gradients + u.states) / n) * Math.min(n, Math.max(1, x.gpusPerNode));
    weights = gathered;
    gradients = 2 * ll;
    optimizer = 0;
    temporaries = 0;
    notes.push('FSDP CPU offload: sharded parameters, gradients and optimizer states on the host; the GPU holds the gathered units');
  }
  notes.push(`FSDP ${stage >= 3 ? 'FULL_SHARD' : 'SHARD_GRAD_OP'} over ${n} GPU(s): two gathered units in flight, each the size of the largest layer in 16-bit`);
  return { weights, gradients, optimizer, temporaries, pageable: u.pageable / n, hostBytesPerNode: host, nvmeBytesPerNode: 0, notes };
}
