/**
 * The training estimate's flow: resolved inputs → trainable parameters → weights, gradients, optimizer states →
 * sharding → activations and logits → the peak of each phase of a step → fits, step time, tokens per second.
 *
 * Phases (PyTorch frees gradients after each optimizer step, transformers zero_grad(set_to_none=True); DeepSpeed's
 * gradient buffers stand):
 * - forward (end):   W + S + G·[accum > 1] + A + logits kept + forward transient + autocast cache
 * - loss backward:   W + S + G·[accum > 1] + A + logits kept + backward transient + autocast copies kept
 * - backward:        W + S + G late; with checkpointing also W + S + G·[accum] + A + one rebuilt layer early
 * - optimizer step:  W + G + S + the optimizer's temporaries
 * Measured: these four against bench/calibration/train-memory-h200.csv peak_fwd / peak_bwd / peak_opt.
 */
import type { TrainingEstimate, TrainingInputs, TrainingIssue, ComponentBytes, PeakPhase } from './types';
import { trainableParams } from './params';
import { weightBytes, paramBytes } from './weights';
import { gradientBytes } from './gradients';
import { optimizerBytes, optimizerLabel } from './optimizer';
import { activationBytes } from './activations';
import { logitsBytes } from './logits';
import { shardStates } from './sharding';
import { overheadBytes, CUDA_CONTEXT_BYTES, FRAGMENTATION_FRACTION } from './overhead';
import { stepSeconds, efficiency } from './throughput';

const GiB = 2 ** 30;
const gib = (b: number) => `${(b / GiB).toFixed(1)} GiB`;

export function estimateTraining(x: TrainingInputs, assumptionsIn: string[] = []): TrainingEstimate {
  const assumptions = [...assumptionsIn];
  const t = trainableParams(x.spec, x.params, x.method, x.lora);
  const w = weightBytes(x, t);
  const g = gradientBytes(x, t);
  const o = optimizerBytes(x, t);
  const fp32States = optimizerBytes({ ...x, precision: 'mixed', lora: x.lora && { ...x.lora, adapterDtype: 'fp32' } }, t).states / Math.max(1, t.trainable);
  const sh = shardStates(x, {
    trainableParams: t.trainable, trainableWeights: w.trainable, frozenWeights: w.frozen, gradients: g, states: o.states,
    temporaries: o.temporaries, pageable: o.pageable, fp32StatesPerParam: fp32States, largestLayerParams: t.largestLayer,
  });
  assumptions.push(...sh.notes);
  // DeepSpeed and FSDP run 16-bit modules (no autocast copies of fp32 weights); one GPU / DDP runs transformers' AMP.
  const amp = x.sharding.kind === 'none' || (x.sharding.kind === 'fsdp' && x.sharding.stage === 0);
  const actInputs: TrainingInputs = amp ? x : { ...x, precision: x.precision === 'fp32' ? 'fp32' : x.sharding.kind === 'zero' ? 'bf16' : x.precision, method: x.method };
  const a = activationBytes(actInputs);
  const l = logitsBytes(x);
  const castKept = amp ? w.castKept : 0;
  const castForward = amp ? w.castForward : 0;
  const W = sh.weights;
  const G = sh.gradients;
  const S = sh.optimizer;
  // Gradients exist through the forward when accumulating, and always under DeepSpeed, whose estimator (the truth
  // here) counts its 16-bit gradient and fp32 partition buffers as standing model states.
  const held = x.gradAccum > 1 || x.sharding.kind === 'zero' ? G : 0;
  const A = a.layers + a.outside;
  const phases: Record<PeakPhase, number> = {
    forward: W + S + held + A + l.kept + l.forwardTransient + Math.max(castForward, castKept),
    'loss-backward': W + S + held + A + l.kept + l.backwardTransient + castKept,
    // Late in the backward every gradient exists; under checkpointing, early in it one layer is being rebuilt.
    backward: Math.max(W + S + G, x.gradientCheckpointing ? W + S + held + A + a.layerWorking + castKept : 0),
    'optimizer-step': W + G + S + sh.temporaries,
  };
  let peakPhase: PeakPhase = 'forward';
  for (const p of Object.keys(phases) as PeakPhase[]) if (phases[p] > phases[peakPhase]) peakPhase = p;
  const ov = overheadBytes(phases[peakPhase]);
  const allocatedPeakBytes = phases[peakPhase] + ov.allocated;
  const peakBytesPerGpu = allocatedPeakBytes + ov.outside;
  // A paged optimizer's states can move to host under pressure: they do not decide the fit.
  const capacityBytes = x.gpu.usableBytes;
  const fits = peakBytesPerGpu - sh.pageable <= capacityBytes;
  const components: ComponentBytes = {
    weights: W + Math.max(castForward, castKept),
    gradients: G,
    optimizer: S + sh.temporaries,
    activations: A,
    logits: l.kept + Math.max(l.forwardTransient, l.backwardTransient),
    overhead: ov.allocated + ov.outside,
  };
  const tokensPerStep = x.microBatch * x.seqLen * x.gradAccum * x.gpus;
  const st = stepSeconds(x, t);
  stateAssumptions(x, assumptions, t.trainable, sh.pageable);
  const issues = trainingIssues(x, components, peakBytesPerGpu, capacityBytes, fits, peakPhase);
  return {
    model: x.spec.id, gpu: x.gpu, gpus: x.gpus, method: x.method, precision: x.precision, optimizer: x.optimizer,
    totalParams: t.total, trainableParams: t.trainable, components, phases, peakPhase, allocatedPeakBytes, peakBytesPerGpu,
    capacityBytes, fits, hostBytesPerNode: sh.hostBytesPerNode, tokensPerStep, effectiveBatch: x.microBatch * x.gradAccum * x.gpus,
    flopsPerToken: st.flopsPerToken, stepSeconds: st.seconds, tokensPerSecond: st.seconds > 0 ? tokensPerStep / st.seconds : 0,
    assumptions, issues,
  };
}

function stateAssumptions(x: TrainingInputs, out: string[], trainable: number, pageable: number): void {
  const mixed = x.precision === 'mixed' || x.precision === 'mixed-fp16';
  if (x.method === 'full' && mixed && x.sharding.kind === 'none') out.push('mixed precision as transformers runs it: fp32 parameters, gradients and optimizer states, bf16 autocast copies of the linear weights from forward to backward (6 B/param weights)');
  if (x.method === 'full' && x.precision === 'bf16') out.push('pure bf16: parameters, gradients and optimizer states all bf16 (no fp32 master copy)');
  if (x.method === 'lora' || x.method === 'qlora') out.push(`LoRA adapters in ${x.lora?.adapterDtype ?? 'fp32'} (PEFT's default casts them to fp32), base frozen in ${x.quantBits ? `${x.quantBits}-bit` : x.precision === 'fp32' ? 'fp32' : '16-bit'}`);
  out.push(`optimizer ${optimizerLabel[x.optimizer]}: ${x.optimizer === 'adamw' ? 'PyTorch foreach implementation, one state-sized temporary per parameter group during the step' : 'no step temporaries beyond one tensor'}`);
  if (pageable > 0) out.push(`paged optimizer: ${gib(pageable)} of states can page to host memory under pressure; the fit counts the GPU without them (the step slows when they page)`);
  out.push(`activations counted tensor by tensor as transformers' decoder layers save them (${x.attention === 'eager' ? 'eager attention: s² scores kept' : 'flash/SDPA attention: no s² scores'}${x.gradientCheckpointing ? '; checkpointing keeps each layer input and rebuilds one layer at a time' : ''})`);
  out.push('loss as transformers computes it: fp32 upcast of the logits, log-softmax kept for the backward; fused/chunked cross-entropy kernels not modelled' + (x.lossChunks > 1 ? ` (chunked loss: ${x.lossChunks} chunks)` : ''));
  if (x.samplePacking) out.push('sample packing: every sequence is full, tokens per step = micro-batch × sequence length exactly');
  else out.push('no sample packing: every sample padded to the sequence length (the worst case; shorter batches use less)');
  out.push(`CUDA context ${(CUDA_CONTEXT_BYTES / GiB).toFixed(2)} GiB (measured on H200) and ${Math.round(FRAGMENTATION_FRACTION * 100)} % of the allocated peak for allocator fragmentation`);
  out.push(`step time at ${Math.round(efficiency(x) * 100)} % of the GPU's dense ${x.precision === 'mixed-fp16' ? 'fp16' : 'bf16'} rate (measured on H200); communication assumed overlapped`);
  if (x.quantBits) out.push(`QLoRA base: NF4 ${x.doubleQuant ? 'with double-quantized' : 'with fp32'} absmax scales (blocksize 64${x.doubleQuant ? ', nested 256' : ''}); dequantisation time not charged`);
  if (x.spec.mla || x.spec.recurrent) out.push(`${x.spec.architecture}: MLA / recurrent layers counted as generic attention for activations (rough)`);
  if (trainable === 0) out.push('no trainable parameters: check the LoRA targets match the model\'s module names');
  if (x.method === 'full' && paramBytes(x) === 4 && x.sharding.kind === 'zero') out.push('DeepSpeed keeps the module in 16-bit and the fp32 master inside its optimizer');
}

function trainingIssues(x: TrainingInputs, c: ComponentBytes, peak: number, cap: number, fits: boolean, phase: PeakPhase): TrainingIssue[] {
  const issues: TrainingIssue[] = [];
  const largest = (Object.keys(c) as (keyof ComponentBytes)[]).reduce((a, b) => (c[b] > c[a] ? b : a));
  if (!fits) {
    issues.push({
      code: 'training-does-not-fit', severity: 'error', component: largest,
      message: `needs ${gib(peak)} per GPU at the ${phase} peak, ${x.gpu.id} holds ${gib(cap)}; the largest part is ${largest} (${gib(c[largest])})`,
    });
  } else if (peak > 0.9 * cap) {
    issues.push({ code: 'training-near-capacity', severity: 'warning', message: `peak ${gib(peak)} is over 90 % of the ${x.gpu.id}'s ${gib(cap)}: a longer batch or a framework's extra buffers may not fit` });
  }
  return issues;
}
