/**
 * Hover: on an engine option — what it does, its default for this engine version, and its effect here with numbers
 * and the alternative; on the model — architecture, parameters, KV bytes per token, context length; on a Hugging Face
 * config.json field — its memory effect; on a profile's workload, hardware and SLO keys — what each comes to here;
 * on a fine-tuning config's keys — training/hover.ts.
 */
import type { Hover, Position } from 'vscode-languageserver';
import { hybridText, kvText, parametersText, paramsText } from '../report/modelShape';
import { isMap, isScalar, Node } from 'yaml';
import type { Estimate } from '../estimator/estimate';
import { GiB, settableMaxModelLen } from '../estimator/memory';
import { ParsedDocument, rangeContains, rangeOf } from '../formats/document';
import { keyTables } from '../formats/launch';
import type { KeySpec } from '../formats/keys/types';
import { cachedEstimate, withChanges, Analysis } from '../pipeline';
import { evidenceLine } from '../evidence/catalog';
import { KNOB_TECHNIQUE } from '../rules/fixes';
import { engineLabels } from '../plan/types';
import type { DeploymentPlan, EngineKnobs, SourceRange } from '../plan/types';
import { gpuAssumption } from '../verdict';
import { trainingHover } from '../training/hover';

const inside = (p: Position, r: SourceRange) => rangeContains(r, p);
const gib = (b: number) => `${(b / GiB).toFixed(2)} GiB`;
const tokens = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));
/** Requests of the workload's length that the KV cache holds at once. */
const requestsInKv = (e: Estimate) => Math.floor(e.memory.kvCapacityTokens / (e.workload.inputLen + e.workload.outputLen));
const params = paramsText;

function specFor(engine: DeploymentPlan['engine']['name']['value'], name: string): KeySpec | undefined {
  const [top, child] = name.split('.');
  const spec = keyTables[engine].keys.find((k) => k.name === top);
  return child ? spec?.properties?.find((p) => p.name === child) : spec;
}

function whatIf(plan: DeploymentPlan, knob: keyof EngineKnobs, value: string | number | boolean): Estimate | undefined {
  const r = cachedEstimate(withChanges(plan, [{ knob, value }]));
  return r.ok ? r.estimate : undefined;
}

/** "Here" lines: this option's effect in this deployment, and the usual alternative. */
function effectHere(plan: DeploymentPlan, e: Estimate, knob: keyof EngineKnobs | undefined): string[] {
  const m = e.memory;
  switch (knob) {
    case 'kvCacheDtype': {
      const alt = e.serving.kvCacheDtype === 'fp8' ? undefined : whatIf(plan, 'kvCacheDtype', 'fp8');
      return [`Here: ${e.serving.kvCacheDtype} KV, ${(e.model.kvBytesPerToken / 1024).toFixed(1)} KiB per token → ${tokens(m.kvCapacityTokens)} tokens in ${gib(m.kvPoolBytesPerGpu)} per GPU.`,
        ...(alt ? [`With fp8: ${tokens(alt.memory.kvCapacityTokens)} tokens (${alt.memory.maxConcurrency}× requests of ${e.serving.maxModelLen}).`] : [])];
    }
    case 'maxModelLen':
      return [`Here: one ${e.serving.maxModelLen}-token request needs ${gib(m.kvBytesPerMaxLenRequest)} of KV per GPU; the pool holds ${m.maxConcurrency}× that. Longest that fits: ${m.maxModelLenThatFits}${settableMaxModelLen(m.maxModelLenThatFits, e.model.contextLimit) !== m.maxModelLenThatFits ? ` (set ${settableMaxModelLen(m.maxModelLenThatFits, e.model.contextLimit)})` : ''}.`];
    case 'gpuMemoryUtilization': {
      const alt = whatIf(plan, 'gpuMemoryUtilization', Math.min(0.95, e.serving.gpuMemoryUtilization + 0.05));
      return [`Here: ${m.poolFormula} = KV pool ${gib(m.kvPoolBytesPerGpu)} per GPU.`, ...(alt ? [`At ${alt.serving.gpuMemoryUtilization}: ${gib(alt.memory.kvPoolBytesPerGpu)}, ${tokens(alt.memory.kvCapacityTokens)} tokens.`] : [])];
    }
    case 'tensorParallel': {
      const alt = whatIf(plan, 'tensorParallel', e.serving.tensorParallel * 2);
      return [`Here: ${gib(m.weightsBytesPerGpu)} of weights per GPU on ${e.serving.tensorParallel} GPU(s); TPOT ${e.latency.tpotMs.toFixed(1)} ms.`,
        ...(alt ? [`At ${e.serving.tensorParallel * 2}: ${gib(alt.memory.weightsBytesPerGpu)} per GPU, TPOT ${alt.latency.tpotMs.toFixed(1)} ms, KV ${tokens(alt.memory.kvCapacityTokens)} tokens.`] : [])];
    }
    case 'quantization':
      return [`Here: ${e.serving.weightDtype} weights (${gib(m.weightsBytesPerGpu)} per GPU), GEMMs in ${e.serving.computeDtype}.`];
    case 'maxNumSeqs':
      return [`Here: the KV cache holds ${requestsInKv(e)} requests of ${e.workload.inputLen + e.workload.outputLen} tokens.`];
    case 'maxNumBatchedTokens':
      return [`Here: activation peak of the profiling run ${gib(m.activationBytesPerGpu)}; TTFT ${e.latency.ttftMs.toFixed(0)} ms for ${e.workload.inputLen}-token prompts.`];
    case 'enablePrefixCaching':
      return [`Here: ${e.serving.prefixCaching ? 'on' : 'off'}; with ${Math.round(e.workload.prefixHitRate * 100)} % shared prompt tokens TTFT is ${e.latency.ttftMs.toFixed(0)} ms.`];
    case 'enableChunkedPrefill':
      return [`Here: ${e.serving.chunkedPrefill ? 'on' : 'off'}, ${e.serving.maxNumBatchedTokens} tokens per step; TPOT ${e.latency.tpotMs.toFixed(1)} ms.`];
    case 'dataParallel':
    case 'attentionDataParallel': {
      const here = `Here: ${e.serving.dataParallel} rank(s) on ${e.hardware.count} GPU(s), ${gib(m.weightsBytesPerGpu)} of weights per GPU, KV ${tokens(m.kvCapacityTokens)} tokens across the ranks.`;
      if (knob === 'dataParallel') return [here];
      // The usual alternative to DP attention is plain TP over the same GPUs (dp-size 1), not dp-size TP groups.
      const on = plan.knobs.attentionDataParallel?.value === true;
      const flip = cachedEstimate(withChanges(plan, [{ knob: 'attentionDataParallel', value: !on }, { knob: 'dataParallel', value: on ? 1 : e.serving.tensorParallel }]));
      const alt = flip.ok ? flip.estimate : undefined;
      return [here, ...(alt ? [`${on ? 'Without' : 'With'} it: ${alt.hardware.count} GPU(s), ${gib(alt.memory.weightsBytesPerGpu)} per GPU, KV ${tokens(alt.memory.kvCapacityTokens)} tokens.`] : [])];
    }
    case 'pipelineParallel':
      return [`Here: ${e.serving.pipelineParallel} stage(s), ${gib(m.weightsBytesPerGpu)} of weights on the busiest GPU.`];
    default:
      return [];
  }
}

function optionHover(plan: DeploymentPlan, e: Estimate | undefined, name: string): string | undefined {
  const engine = plan.engine.name.value;
  const spec = specFor(engine, name);
  if (!spec) return undefined;
  const lines = [`**${name}** · ${engine}${e ? ` ${e.serving.engineVersion}` : ''}`, '', spec.description];
  const def = spec.default !== undefined ? String(spec.default) : spec.defaultNote;
  if (def) lines.push('', `Default: ${def}`);
  if (spec.effect) lines.push('', spec.effect);
  if (e) {
    const here = effectHere(plan, e, spec.knob);
    if (here.length) lines.push('', ...here);
  }
  const technique = spec.knob ? KNOB_TECHNIQUE[spec.knob] : undefined;
  if (technique) lines.push('', evidenceLine(technique));
  return lines.join('\n');
}

const HOW_TO_SET_VERSION = 'set `# deploy-advisor: engine-version=…` or deployAdvisor.engineVersion';

/** "vLLM 0.11.0, from the image tag on line 12": the version estimated for, and where it came from. */
export function engineVersionText(plan: DeploymentPlan, e: Estimate): string {
  const label = engineLabels[e.serving.engine];
  const v = plan.engine.version;
  if (!v) return `${label} ${e.serving.engineVersion}, newest modelled${plan.engine.image?.note ? `, since ${plan.engine.image.note}` : ''} (${HOW_TO_SET_VERSION})`;
  const shown = /\d+\.\d+/.test(v.value) ? v.value : `${e.serving.engineVersion} (newest modelled, for "${v.value}")`;
  const s = v.source;
  switch (s.kind) {
    case 'file': {
      const what = s.key === 'image tag' ? 'the image tag' : s.key.startsWith('deploy-advisor') ? 'the `# deploy-advisor: engine-version=` comment' : `\`${s.key}\``;
      return `${label} ${shown}, from ${what} on line ${s.range.start.line + 1}`;
    }
    case 'setting': return `${label} ${shown}, from the ${s.name} setting`;
    case 'profile': return `${label} ${shown}, from ${s.key} in ${s.file}`;
    case 'cli': return `${label} ${shown}, from ${s.flag}`;
    default: return `${label} ${shown} (${s.note})`;
  }
}

/** The GPUs estimated for, marked when nobody named them. */
const gpuText = (plan: DeploymentPlan, e: Estimate) => {
  const assumed = gpuAssumption(plan);
  return `${e.hardware.count} × ${e.hardware.gpuName}${assumed ? ` (${assumed})` : ''}`;
};

/** On the image: the engine version its tag gives (or why it gives none) and what that version changes here. */
function imageHover(plan: DeploymentPlan, e: Estimate): string {
  return [
    `**${plan.engine.image!.ref}**`, '',
    `${engineVersionText(plan, e)}.`, '',
    `Here: KV pool ${gib(e.memory.kvPoolBytesPerGpu)} per GPU = ${e.memory.poolFormula} (the budget and the defaults follow this version).`,
  ].join('\n');
}

function modelHover(plan: DeploymentPlan, e: Estimate): string {
  return [
    `**${e.model.id}** · ${e.model.architecture}`, '',
    `| | |`, `|---|---|`,
    `| Parameters | ${parametersText(e)} |`,
    `| Layers | ${e.model.layers} (${e.model.heads} heads, ${e.model.mla ? 'MLA latent KV' : `${e.model.kvHeads} KV heads`}${e.model.experts ? `, ${e.model.experts} experts` : ''}) |`,
    ...(hybridText(e) ? [`| Hybrid | ${hybridText(e)} |`] : []),
    `| KV cache | ${kvText(e)} |`,
    `| Context | ${e.model.maxPositions} tokens |`,
    `| Weights | ${e.serving.weightDtype}, ${gib(e.memory.weightsBytesPerGpu)} per GPU at TP ${e.serving.tensorParallel}${e.serving.dataParallel > 1 ? ` · DP ${e.serving.dataParallel}` : ''} |`,
    `| Engine | ${engineVersionText(plan, e)} |`,
    `| GPUs | ${gpuText(plan, e)} |`,
  ].join('\n');
}

/** Hugging Face config.json fields and what they do to memory. */
const HF_FIELDS: Record<string, (e: Estimate) => string> = {
  num_hidden_layers: (e) => (e.model.recurrentLayers
    ? `Layers: every one holds its weights; ${hybridText(e)}. KV: ${kvText(e)}.`
    : `Layers: every one holds its weights and its KV cache. ${e.model.layers} layers × KV per layer = ${(e.model.kvBytesPerToken / 1024).toFixed(1)} KiB per token.`),
  hidden_size: (e) => `Model width: weights grow with its square; activations and all-reduce traffic with it. ${params(e.model.params)} parameters in all.`,
  num_attention_heads: (e) => `Query heads; tensor parallelism must divide them (${e.model.heads}).`,
  num_key_value_heads: (e) => `KV heads (grouped-query attention): KV bytes per token = 2 × layers × KV heads × head_dim × dtype bytes = ${(e.model.kvBytesPerToken / 1024).toFixed(1)} KiB. With TP above ${e.model.kvHeads}, KV heads are replicated.`,
  head_dim: (e) => `Per-head width; enters KV bytes per token directly (${(e.model.kvBytesPerToken / 1024).toFixed(1)} KiB here).`,
  intermediate_size: (e) => `MLP width: most of each layer's weights and the profiling run's activation peak (${gib(e.memory.activationBytesPerGpu)}).`,
  vocab_size: (e) => `Vocabulary: embedding and LM-head weights, and the logits in vLLM's profiling run (activation peak ${gib(e.memory.activationBytesPerGpu)}).`,
  max_position_embeddings: (e) => `Default max-model-len (${e.model.maxPositions}): one request that long needs ${gib(e.memory.kvBytesPerMaxLenRequest)} of KV per GPU.`,
  torch_dtype: (e) => `Checkpoint dtype; unquantized weights load as ${e.serving.weightDtype}.`,
  quantization_config: (e) => `Weight format ${e.serving.weightDtype}: ${gib(e.memory.weightsBytesPerGpu)} of weights per GPU, GEMMs in ${e.serving.computeDtype}.`,
  kv_lora_rank: () => 'MLA: the KV cache stores one compressed latent per token and layer (kv_lora_rank + qk_rope_head_dim), not split by tensor parallelism.',
  sliding_window: () => 'Sliding-window layers keep at most the window (plus one prefill chunk) of KV per request; engines still size the pool per full-attention token.',
  num_local_experts: (e) => `MoE experts: all of them are weights (${params(e.model.params)}), only the routed ones compute per token (${params(e.model.activeParams)} active).`,
  n_routed_experts: (e) => `MoE experts: all of them are weights (${params(e.model.params)}), only the routed ones compute per token (${params(e.model.activeParams)} active).`,
  num_experts: (e) => `MoE experts: all of them are weights (${params(e.model.params)}), only the routed ones compute per token (${params(e.model.activeParams)} active).`,
  num_experts_per_tok: (e) => `Experts each token is routed to: sets the active parameters (${params(e.model.activeParams)}) and decode bandwidth.`,
  tie_word_embeddings: () => 'Tied embeddings share one matrix between input embedding and LM head (counted once).',
};

function hfFieldHover(doc: ParsedDocument, pos: Position, e: Estimate): string | undefined {
  const root = doc.docs[0]?.contents;
  if (!isMap(root)) return undefined;
  for (const pair of root.items) {
    if (!isScalar(pair.key)) continue;
    const r = rangeOf(doc, pair.key as Node);
    if (!inside(pos, r)) continue;
    const f = HF_FIELDS[String(pair.key.value)];
    return f ? `**${String(pair.key.value)}**\n\n${f(e)}` : undefined;
  }
  return undefined;
}

/** A Deploy Advisor profile's own keys (workload, hardware, SLO): what each sets, and what it comes to here. */
const PROFILE_FIELDS: Record<string, Record<string, (e: Estimate) => string>> = {
  workload: {
    inputLen: (e) => `Prompt tokens per request: prefill work and KV per request. Here: TTFT ${e.latency.ttftMs.toFixed(0)} ms (one prefill alone ${e.latency.prefillAloneMs.toFixed(0)} ms).`,
    outputLen: (e) => `Output tokens per request: one decode step each. Here: TPOT ${e.latency.tpotMs.toFixed(1)} ms, so a request lasts about ${((e.latency.ttftMs + (e.workload.outputLen - 1) * e.latency.tpotMs) / 1e3).toFixed(1)} s.`,
    concurrency: (e) => `Requests kept in flight by one replica's clients (closed loop), or \`max\`. Here: ${e.latency.concurrency} in flight, ${e.latency.outputTokensPerSec.toFixed(0)} output tokens/s; the KV cache holds ${requestsInKv(e)} such requests.`,
    requestRate: (e) => `Requests per second reaching one replica (open loop: arrivals spread over time). Here: about ${e.latency.concurrency} in flight, ${e.latency.outputTokensPerSec.toFixed(0)} output tokens/s, TTFT ${e.latency.ttftMs.toFixed(0)} ms.`,
    prefixShare: (e) => `Share of prompt tokens an earlier request already computed (system prompts, chat history); prefix caching skips them. Here: prefix caching ${e.serving.prefixCaching ? 'on' : 'off'}, TTFT ${e.latency.ttftMs.toFixed(0)} ms.`,
    client: (e) => {
      // operatingPoint.ts states the modelled client in the latency assumption.
      const said = e.assumptions.find((x) => x.startsWith('latency: as the benchmark client reports it — '));
      const what = said ? said.slice('latency: as the benchmark client reports it — '.length).split('; L = ')[0] : 'not modelled here (a request rate is open loop)';
      return `The benchmark client whose report the latency figures are (vllm-bench = \`vllm bench serve\` / benchmark_serving.py, aiperf = aiperf / genai-perf concurrency mode). Here: ${what} → TTFT ${e.latency.ttftMs.toFixed(0)} ms, TPOT ${e.latency.tpotMs.toFixed(1)} ms.`;
    },
  },
  hardware: {
    gpu: (e) => `GPU type: ${e.hardware.gpuName}, ${gib(e.hardware.memoryBytesPerGpu)} usable per GPU.`,
    count: (e) => `GPUs per replica; tensor × pipeline parallel must use them. Here: ${e.hardware.count} × ${e.hardware.gpu}, ${gib(e.memory.weightsBytesPerGpu)} of weights per GPU.`,
    nodes: () => 'Nodes one replica spans: tensor/pipeline traffic between them crosses the network (the per-GPU network bandwidth of the GPU type).',
    replicas: (e) => `Independent copies of the deployment: throughput and cost multiply. Here: ${e.hardware.replicas} × ${e.latency.outputTokensPerSec.toFixed(0)} output tokens/s.`,
    pricePerHour: (e) => `Price per GPU-hour used for cost figures. Here: $${(e.hardware.pricePerHour * e.hardware.count * e.hardware.replicas).toFixed(2)}/h for the deployment.`,
  },
  slo: {
    ttftMs: (e) => `Time-to-first-token target, checked against the estimate (slo-miss). Here: ${e.latency.ttftMs.toFixed(0)} ms predicted.`,
    tpotMs: (e) => `Time-per-output-token target, checked against the estimate (slo-miss). Here: ${e.latency.tpotMs.toFixed(1)} ms predicted.`,
    minThroughput: (e) => `Output tokens per second the deployment must serve (all replicas). Here: ${(e.latency.outputTokensPerSec * e.hardware.replicas).toFixed(0)} predicted.`,
  },
};

function profileFieldHover(doc: ParsedDocument, pos: Position, e: Estimate): Hover | undefined {
  const root = doc.docs[0]?.contents;
  if (!isMap(root)) return undefined;
  for (const section of root.items) {
    const name = isScalar(section.key) ? String(section.key.value) : '';
    const fields = PROFILE_FIELDS[name];
    if (!fields || !isMap(section.value)) continue;
    for (const pair of section.value.items) {
      if (!isScalar(pair.key)) continue;
      const r = rangeOf(doc, pair.key as Node);
      const f = fields[String(pair.key.value)];
      if (f && inside(pos, r)) return { contents: { kind: 'markdown', value: `**${name}.${String(pair.key.value)}**\n\n${f(e)}` }, range: r };
    }
  }
  return undefined;
}

export function hover(doc: ParsedDocument, a: Analysis, pos: Position): Hover | undefined {
  if (a.training) {
    const h = trainingHover(doc, a.training, pos);
    return h && { contents: { kind: 'markdown', value: h.markdown }, range: h.range };
  }
  for (const w of a.workloads) {
    const src = w.plan.model.ref.source;
    if (w.estimate && src.kind === 'file' && inside(pos, src.range) && a.format !== 'hf-config') return { contents: { kind: 'markdown', value: modelHover(w.plan, w.estimate) }, range: src.range };
    const image = w.plan.engine.image?.ranges.find((r) => inside(pos, r));
    if (w.estimate && image) return { contents: { kind: 'markdown', value: imageHover(w.plan, w.estimate) }, range: image };
    for (const k of w.plan.keys ?? []) {
      if (inside(pos, k.keyRange) || inside(pos, k.valueRange)) {
        const value = optionHover(w.plan, w.estimate, k.name);
        if (value) return { contents: { kind: 'markdown', value }, range: inside(pos, k.keyRange) ? k.keyRange : k.valueRange };
      }
    }
    if (a.format === 'hf-config' && w.estimate) {
      const value = hfFieldHover(doc, pos, w.estimate);
      if (value) return { contents: { kind: 'markdown', value } };
    }
    if (a.format === 'profile' && w.estimate) {
      const h = profileFieldHover(doc, pos, w.estimate);
      if (h) return h;
    }
  }
  return undefined;
}
