/**
 * Activations the forward keeps for the backward, counted tensor by tensor as PyTorch autograd saves them in
 * transformers' decoder layers (LlamaDecoderLayer and the families built like it: RMSNorm, q/k/v/o, SwiGLU MLP, the
 * experts loop of the MoE blocks). Per token of one layer, with c = compute bytes (2 under bf16/autocast, 4 fp32),
 * r = residual-stream bytes (4 when the model's parameters are fp32 under autocast), h hidden, q = heads·head_dim,
 * kv = kv_heads·head_dim, i intermediate, n = heads, s = sequence:
 * - RMSNorm (x.to(fp32); x·rsqrt(mean x²); w·x̂): the fp32 input 4h (pow and mul save it); the normalised x̂ (r·h)
 *   when w trains; its output is saved by the consumers that need their input (below).
 * - A linear saves its input only when its weight trains (grad W = gᵀx); a frozen linear needs only W. Under
 *   autocast each linear casts its fp32 input to 16-bit itself and keeps its own copy (autocast caches weights, not
 *   activations); a LoRA adapter in fp32 casts its input up (PEFT lora.Linear _cast_input_dtype) and keeps that copy
 *   (4·d_in), plus the A output (4·rank); DoRA keeps the base and LoRA outputs (c + 4)·d_out.
 * - SDPA/flash attention: q, k, v (GQA not repeated: torch SDPA enable_gqa, flash-attn native), the output (which is
 *   also o_proj's input: flash writes it in (b, s, heads, dim) order, so the transpose is free) and the fp32
 *   log-sum-exp: c·(2q + 2kv) + 4n. No s² score matrix (Dao et al. 2022, arXiv 2205.14135).
 * - Eager attention (transformers eager_attention_forward): q, k and v repeated to all heads (repeat_kv), the fp32
 *   softmax output and its 16-bit cast (saved by the matmul with V): 3c·q + (4 + c)·n·s, and o_proj's input
 *   (the transposed copy) when o_proj needs it. The s² terms are Korthikanti et al.'s 5as/h (arXiv 2205.05198)
 *   without dropout.
 * - SwiGLU MLP: gate output (silu's input), silu output and up output (the product's inputs) 3c·i, and the product
 *   (down_proj's input) when down_proj needs it. Two-matrix MLP: fc1 output c·i, its activation when fc2 needs it.
 * - MoE (transformers' experts loop): per routed token the gathered hidden copy (when the experts need it), the
 *   fused gate_up output 2c·i_e, silu c·i_e, the product, and the expert output scaled by its routing weight c·h;
 *   per token the router's fp32 softmax 4·E.
 * - Gradient checkpointing (transformers' non-reentrant torch.utils.checkpoint per decoder layer): each layer keeps
 *   only its input r·h; one layer's set is rebuilt at a time in the backward (the working set).
 * Checked against bench/calibration/train-memory-h200.csv `fwd_keep` (forward's kept bytes less the logits) — full
 * bf16 Llama-3.2-1B/3B shapes within 1.5 %, eager within 0.5 %, LoRA q,v and all-linear within 0.5 %.
 */
import type { ModelSpec } from '../modelSpec';
import type { TrainingInputs } from './types';
import { hasQkNorm, isTarget, layerModules, LinearModule } from './modules';
import { dtypeBytes } from './weights';

export interface ActivationBytes {
  /** Kept for the backward by the decoder layers over the micro-batch (all layers). */
  layers: number;
  /** Kept outside the layers (final norm and what the LM head saves). */
  outside: number;
  /** One layer's full saved set over the micro-batch: the working set rebuilt under checkpointing. */
  layerWorking: number;
  /** Bytes per token one layer keeps without checkpointing (layer 0 … L−1 averaged). */
  perTokenPerLayer: number;
}

interface Ctx {
  m: ModelSpec;
  c: number;
  r: number;
  autocast: boolean;
  fullFt: boolean;
  lora?: TrainingInputs['lora'];
  attention: TrainingInputs['attention'];
  seq: number;
}

function ctxOf(x: TrainingInputs): Ctx {
  const autocast = x.precision === 'mixed' || x.precision === 'mixed-fp16';
  const fullFt = x.method === 'full' || x.method === 'freeze';
  const c = x.precision === 'fp32' ? 4 : 2;
  // Under autocast full fine-tuning the parameters are fp32, so the residual stream is fp32; LoRA keeps a 16-bit base.
  const r = x.precision === 'fp32' || (autocast && fullFt) ? 4 : 2;
  const lora = x.method === 'lora' || x.method === 'qlora' ? x.lora : undefined;
  return { m: x.spec, c, r, autocast, fullFt, lora, attention: x.attention, seq: x.seqLen };
}

/**
 * Bytes per token the consumers of one input tensor keep (the tensor itself or their own copies of it), `d` its
 * width, `srcBytes` its dtype bytes, `kept` true when something else already keeps it (then sharing it costs 0).
 */
function consumersKeep(k: Ctx, mods: LinearModule[], d: number, srcBytes: number, kept = false): number {
  let bytes = 0;
  let shared = kept;
  const adapter = k.lora ? dtypeBytes(k.lora.adapterDtype) : 0;
  for (const mod of mods) {
    if (k.fullFt) {
      if (k.autocast && srcBytes !== 2) bytes += 2 * d; // each autocast linear casts and keeps its own copy
      else if (!shared) { bytes += srcBytes * d; shared = true; }
    }
    if (k.lora && isTarget(mod.name, k.lora.targets)) {
      const copy = k.autocast ? 2 : adapter;
      if (!k.autocast && adapter === srcBytes) {
        if (!shared) { bytes += srcBytes * d; shared = true; }
      } else bytes += copy * d;
      bytes += (k.autocast ? 2 : adapter) * k.lora.rank;
      if (k.lora.dora) bytes += (k.c + 4) * mod.dOut;
    }
  }
  return bytes;
}

/** RMSNorm as transformers writes it (fp32 input copy, x̂ when the weight trains). Models with LayerNorm (the
 *  two-matrix-MLP families: GPT-2, Phi, Falcon, GPT-NeoX, OPT, StarCoder2) use the native kernel, which keeps its
 *  input and fp32 mean and rstd: c·d + 8. */
function normKeeps(k: Ctx, d: number): number {
  if (!k.m.gatedMlp) return k.c * d + 8;
  return 4 * d + (k.fullFt ? k.r * d : 0);
}

/** Bytes per token one decoder layer keeps (no checkpointing). */
export function layerBytesPerToken(k: Ctx, layer: number): number {
  const m = k.m;
  const h = m.hidden;
  const q = m.heads * m.headDim;
  const kv = m.kvHeads * m.headDim;
  const mods = layerModules(m, layer);
  const by = (input: LinearModule['input']) => mods.filter((x) => x.input === input);
  // The norm output's dtype: fp32 when the residual stream is (the weight multiply promotes), else compute dtype.
  const normOut = k.r;
  let b = normKeeps(k, h) + consumersKeep(k, by('attn-norm'), h, normOut);
  if (hasQkNorm(m)) b += normKeeps(k, q) + normKeeps(k, kv);
  if (k.attention === 'eager') {
    const scores = k.c === 4 ? 4 : 4 + k.c;
    b += 3 * k.c * q + scores * m.heads * k.seq;
    b += consumersKeep(k, by('attn-out'), q, k.c);
  } else {
    b += k.c * (2 * q + 2 * kv) + 4 * m.heads;
    b += consumersKeep(k, by('attn-out'), q, k.c, true);
  }
  b += normKeeps(k, h);
  // Gemma 2/3's extra post-attention and post-feed-forward norms (normsPerLayer 4): their outputs go to the residual add.
  b += Math.max(0, m.normsPerLayer - 2) * normKeeps(k, h);
  const moe = m.moe && m.moe.moeLayers[layer] ? m.moe : null;
  const gated = m.gatedMlp;
  const dense = (i: number, prefix: string) => {
    const ms = mods.filter((x) => x.name.startsWith(prefix) && x.count === 1 && (x.input === 'mlp-norm' || x.input === 'mlp-act'));
    const front = ms.filter((x) => x.input === 'mlp-norm');
    const back = ms.filter((x) => x.input === 'mlp-act');
    return (gated ? 3 * k.c * i : k.c * i) + consumersKeep(k, back, i, k.c) + consumersKeep(k, front, h, normOut);
  };
  if (!moe) return b + dense(m.intermediate, '');
  // Router: a trainable router keeps the norm output (as a dense MLP's gate would); its fp32 softmax 4·E.
  b += (k.fullFt ? (k.autocast && normOut !== 2 ? 2 : normOut) * h : 0) + 4 * moe.numExperts;
  const ie = moe.expertIntermediate;
  const expertIn = mods.filter((x) => x.input === 'expert-in');
  const expertAct = mods.filter((x) => x.input === 'expert-act');
  const perRouted = (gated ? 3 * k.c * ie : k.c * ie) + consumersKeep(k, expertIn, h, k.c) + consumersKeep(k, expertAct, ie, k.c) + k.c * h;
  b += moe.topK * perRouted;
  if (moe.sharedIntermediate) b += dense(moe.sharedIntermediate, 'shared_expert.');
  return b;
}

export function activationBytes(x: TrainingInputs): ActivationBytes {
  const k = ctxOf(x);
  const tokens = x.microBatch * x.seqLen;
  const m = x.spec;
  let sum = 0;
  let max = 0;
  for (let i = 0; i < m.layers; i++) {
    const l = layerBytesPerToken(k, i);
    sum += l;
    max = Math.max(max, l);
  }
  const h = m.hidden;
  // Final norm; the LM head keeps its input only when it trains (autocast: its own 16-bit copy).
  const outside = tokens * (normKeeps(k, h) + (k.fullFt ? (k.autocast && k.r !== 2 ? 2 : k.c) * h : 0));
  const layers = x.gradientCheckpointing ? tokens * m.layers * k.r * h : tokens * sum;
  return { layers, outside, layerWorking: tokens * max, perTokenPerLayer: sum / m.layers };
}
