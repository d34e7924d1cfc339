/**
 * Every fixture in test-fixtures/ → its normalized plans, asserted value by value with the 1-based line (and where
 * it matters the column) each value came from, plus the findings it must (and must not) produce.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { FormatName, ReadContext } from '../../server/src/formats/types';
import { localAdapterLoader, localModelLoader } from '../../server/src/node/localModels';
import { analyze, Analysis } from '../../server/src/pipeline';
import { analysisMarkdown } from '../../server/src/report/markdown';
import { editsForFix } from '../../server/src/edits/apply';
import { applyEdits } from '../support/lspClient';
import type { DeploymentPlan, Sourced } from '../../server/src/plan/types';
import { fixture } from '../support/paths';

/** [value, line] or [value, line, column]: the value and where it was written (1-based). */
type At<T> = [T, number] | [T, number, number];

interface PlanExpect {
  name?: string;
  model?: At<string>;
  engine?: string;
  gpu?: At<string> | string;
  count?: At<number> | number;
  replicas?: At<number> | number;
  knobs?: Record<string, At<unknown>>;
  workload?: Record<string, At<unknown>>;
  fits?: boolean;
}

interface FixtureExpect {
  format: FormatName | null;
  plans?: PlanExpect[];
  /** Rules that must appear (with the 1-based line they must land on, when given). */
  findings?: Array<string | [string, number]>;
  /** Rules that must not appear. */
  absent?: string[];
  noFindings?: boolean;
}

export function analyzeFixture(rel: string): Analysis {
  const file = fixture(rel);
  const side = file.replace(/\.ya?ml$/, '.deploy.yaml');
  const ctx: ReadContext = { loadLocalConfig: localModelLoader(path.dirname(file)), loadLocalAdapter: localAdapterLoader(path.dirname(file)) };
  if (side !== file && fs.existsSync(side)) ctx.sideProfile = { uri: pathToFileURL(side).href, text: fs.readFileSync(side, 'utf8') };
  return analyze(pathToFileURL(file).href, fs.readFileSync(file, 'utf8'), ctx);
}

function checkAt(label: string, s: Sourced<unknown> | undefined, expected: At<unknown> | unknown): void {
  assert.ok(s, `${label}: missing`);
  if (!Array.isArray(expected) || (label.endsWith('speculative') && !Array.isArray((expected as unknown[])[0]) && typeof expected[1] !== 'number')) {
    assert.deepEqual(s.value, expected, label);
    return;
  }
  const [value, line, col] = expected as [unknown, number, number?];
  assert.deepEqual(s.value, value, label);
  assert.equal(s.source.kind, 'file', `${label}: expected from the file, got ${JSON.stringify(s.source)}`);
  if (s.source.kind === 'file') {
    assert.equal(s.source.range.start.line + 1, line, `${label}: line`);
    if (col !== undefined) assert.equal(s.source.range.start.character, col, `${label}: column`);
  }
}

function checkPlan(p: DeploymentPlan, e: PlanExpect, label: string): void {
  if (e.name) assert.equal(p.name, e.name, `${label} name`);
  if (e.model) checkAt(`${label} model`, p.model.ref, e.model);
  if (e.engine) assert.equal(p.engine.name.value, e.engine, `${label} engine`);
  if (e.gpu) checkAt(`${label} gpu`, p.hardware.gpu, e.gpu);
  if (e.count !== undefined) checkAt(`${label} count`, p.hardware.count, e.count);
  if (e.replicas !== undefined) checkAt(`${label} replicas`, p.hardware.replicas, e.replicas);
  for (const [k, v] of Object.entries(e.knobs ?? {})) checkAt(`${label} knob ${k}`, (p.knobs as Record<string, Sourced<unknown>>)[k], v);
  for (const [k, v] of Object.entries(e.workload ?? {})) checkAt(`${label} workload ${k}`, (p.workload as unknown as Record<string, Sourced<unknown>>)[k], v);
}

export const expectations: Record<string, FixtureExpect> = {
  'vllm/llama-3.1-8b-h100.yaml': {
    format: 'vllm',
    plans: [{ model: ['meta-llama/Llama-3.1-8B-Instruct', 3, 7], gpu: ['H100-SXM', 2], knobs: { tensorParallel: [1, 4, 22], maxModelLen: [32000, 5, 15], gpuMemoryUtilization: [0.9, 6], maxNumSeqs: [256, 7], enablePrefixCaching: [true, 8] }, workload: { inputLen: [2000, 2], outputLen: [300, 2], concurrency: [32, 2] }, fits: true }],
  },
  'vllm/llama-3.1-70b-one-gpu.yaml': { format: 'vllm', plans: [{ knobs: { tensorParallel: [1, 4], maxModelLen: [8192, 5] }, fits: false }], findings: [['does-not-fit', 3]] },
  'vllm/qwen3-32b-long-context.yaml': { format: 'vllm', plans: [{ knobs: { maxModelLen: [131072, 4] }, fits: false }], findings: [['max-len-exceeds-kv', 4], ['max-len-above-model', 4]] },
  'vllm/qwen3-30b-a3b-ep.yaml': { format: 'vllm', plans: [{ gpu: ['H200', 2], knobs: { tensorParallel: [4, 4], expertParallel: [4, 5], kvCacheDtype: ['fp8', 6], maxNumBatchedTokens: [16384, 7] } }] },
  'vllm/deepseek-v3-multinode.yaml': { format: 'vllm', plans: [{ gpu: ['H200', 2], knobs: { tensorParallel: [8, 4], pipelineParallel: [2, 5], kvCacheDtype: ['fp8', 7] }, fits: true }] },
  'vllm/ngram-speculative-busy.yaml': { format: 'vllm', plans: [{ model: ['Qwen/Qwen3-8B', 3], knobs: { maxNumSeqs: [256, 5], speculative: [{ method: 'ngram', numTokens: 4 }, 7] } }] },
  'sglang/llama-3.1-8b-eagle.yaml': { format: 'sglang', plans: [{ engine: 'sglang', model: ['meta-llama/Llama-3.1-8B-Instruct', 4], knobs: { speculative: [{ method: 'eagle', numTokens: 31, draftModel: 'lmsys/sglang-EAGLE-LLaMA3-Instruct-8B' }, 5] } }] },
  'kubernetes/vllm-eagle3-speculative.yaml': { format: 'kubernetes', plans: [{ engine: 'vllm', model: ['meta-llama/Llama-3.1-8B-Instruct', 26], knobs: { speculative: [{ method: 'eagle3', numTokens: 3, draftModel: 'yuhuili/EAGLE3-LLaMA3.1-Instruct-8B' }, 32] } }] },
  'kubernetes/vllm-deepseek-r1-mtp.yaml': { format: 'kubernetes', plans: [{ engine: 'vllm', model: ['deepseek-ai/DeepSeek-R1-0528', 26], knobs: { tensorParallel: [8, 26], speculative: [{ method: 'mtp', numTokens: 1 }, 27] } }] },
  'vllm/gpt-oss-120b-eagle.yaml': { format: 'vllm', plans: [{ knobs: { maxNumSeqs: [64, 5], speculative: [{ method: 'eagle3', numTokens: 3, draftModel: 'nvidia/gpt-oss-120b-Eagle3' }, 7] } }] },
  'vllm/typos-and-bad-values.yaml': {
    format: 'vllm',
    plans: [{ knobs: { maxModelLen: [16384, 7] } }],
    findings: [['unknown-key', 2], ['invalid-value', 3], ['invalid-value', 4], ['invalid-value', 5], ['duplicate-key', 7]],
  },
  'vllm/chunked-prefill-off.yaml': { format: 'vllm', plans: [{ knobs: { enableChunkedPrefill: [false, 4] } }], findings: [['vllm-batched-tokens-below-max-len', 6], ['chunked-prefill-off', 4]] },
  'vllm/broken.yaml': { format: 'vllm', findings: [['syntax', 3]] },
  // LoRA serving (issue 19): slots that eat the KV cache, an adapter above max-lora-rank, SGLang's pool, TGI's resident adapters.
  'kubernetes/vllm-lora-l4.yaml': { format: 'kubernetes', plans: [{ gpu: 'L4', knobs: { maxLoras: [8, 27], maxLoraRank: [64, 29], maxModelLen: [8192, 24] }, fits: true }], findings: [['lora-slots-share', 27]], absent: ['lora-rank-above-max'] },
  'vllm/lora-rank-above-max.yaml': { format: 'vllm', plans: [{ knobs: { maxModelLen: [16384, 3] } }], findings: [['lora-rank-above-max', 6]], absent: ['lora-slots-share'] },
  'compose/sglang-lora.yaml': { format: 'compose', plans: [{ engine: 'sglang', knobs: { maxLoras: [4, 11], maxLoraRank: [64, 11] }, fits: true }], absent: ['lora-slots-share', 'lora-rank-above-max'] },
  'kubernetes/tgi-lora-env.yaml': { format: 'kubernetes', plans: [{ engine: 'tgi', model: ['mistralai/Mistral-7B-v0.1', 23] }], absent: ['lora-slots-share', 'lora-rank-above-max'] },
  'vllm/with-side-profile.yaml': {
    format: 'vllm',
    // Hardware and workload come from with-side-profile.deploy.yaml beside it; the SLO miss is reported here too.
    plans: [{ model: ['meta-llama/Llama-3.1-8B-Instruct', 1], gpu: 'L40S', count: 1, knobs: { maxModelLen: [16384, 3] } }],
    findings: ['slo-miss'],
  },
  'vllm/with-side-profile.deploy.yaml': { format: 'profile', plans: [{ gpu: ['L40S', 4], workload: { inputLen: [3000, 7], concurrency: [16, 9] } }], findings: [['slo-miss', 12]] },
  'sglang/qwen3-32b-tp2.yaml': {
    format: 'sglang',
    plans: [{ engine: 'sglang', model: ['Qwen/Qwen3-32B', 3], knobs: { tensorParallel: [2, 4], gpuMemoryUtilization: [0.85, 5], maxModelLen: [32768, 6], maxNumBatchedTokens: [8192, 7], maxNumSeqs: [128, 8], kvCacheDtype: ['fp8_e4m3', 9] } }],
  },
  'sglang/deepseek-r1-tp8.yaml': { format: 'sglang', plans: [{ model: ['deepseek-ai/DeepSeek-R1', 3], knobs: { tensorParallel: [8, 4], gpuMemoryUtilization: [0.8, 5] } }], findings: [['kv-limits-concurrency', 2], ['kv-cache-dtype', 3]] },
  'sglang/deepseek-r1-dp-attention.yaml': { format: 'sglang', plans: [{ knobs: { tensorParallel: [8, 4], dataParallel: [8, 5], expertParallel: [8, 6], attentionDataParallel: [true, 7], speculative: [{ method: 'mtp', numTokens: 3 }, 9] } }] },
  'trtllm/llama-70b-fp8-extra-options.yaml': {
    format: 'trtllm',
    plans: [{ engine: 'trtllm', knobs: { tensorParallel: [2, 4], maxNumSeqs: [256, 5], maxNumBatchedTokens: [8192, 6], maxModelLen: [8192, 7], enableChunkedPrefill: [true, 8], gpuMemoryUtilization: [0.85, 10, 28], enablePrefixCaching: [true, 11], kvCacheDtype: ['fp8', 12] }, fits: true }],
  },
  // max_num_tokens = one prompt, chunked prefill off: no prompt fits beside a running decode (issue 18, item 4).
  'trtllm/deepseek-r1-8k-no-chunking.yaml': {
    format: 'trtllm',
    plans: [{ engine: 'trtllm', gpu: ['H200', 2], knobs: { tensorParallel: [8, 6], maxNumSeqs: [64, 8], maxNumBatchedTokens: [8192, 9], enableChunkedPrefill: [false, 10] }, workload: { inputLen: [8192, 2], concurrency: [64, 2] }, fits: true }],
    findings: [['trtllm-prompt-starvation', 9]],
  },
  'trtllm/unknown-field.yaml': { format: 'trtllm', findings: [['invalid-value', 2], ['unknown-key', 4], ['unknown-key', 5]] },
  'kubernetes/vllm-deployment-args-list.yaml': {
    format: 'kubernetes',
    plans: [{ name: 'llama-70b-fp8', model: ['nvidia/Llama-3.1-70B-Instruct-FP8', 25], gpu: ['NVIDIA-H100-80GB-HBM3', 19], count: [2, 36], replicas: [2, 9], knobs: { tensorParallel: [2, 27], maxModelLen: [16384, 28], gpuMemoryUtilization: [0.92, 30], enablePrefixCaching: [true, 31] }, fits: true }],
  },
  'kubernetes/vllm-deployment-shell-string.yaml': {
    format: 'kubernetes',
    // One shell string: each flag keeps its own column inside the string.
    plans: [{ model: ['mistralai/Mistral-7B-Instruct-v0.3', 23, 24], gpu: ['L4', 17], count: [1, 35], knobs: { maxNumBatchedTokens: [1024, 23, 129], maxModelLen: [8192, 23, 150], enableChunkedPrefill: [true, 23] } }],
  },
  'kubernetes/sglang-statefulset.yaml': { format: 'kubernetes', plans: [{ engine: 'sglang', model: ['Qwen/Qwen3-30B-A3B', 33], gpu: ['H100-SXM', 23], count: [4, 46], knobs: { tensorParallel: [4, 35], expertParallel: [4, 37], gpuMemoryUtilization: [0.88, 39], maxModelLen: [32768, 41] } }] },
  'kubernetes/tgi-deployment-env.yaml': { format: 'kubernetes', plans: [{ engine: 'tgi', model: ['meta-llama/Llama-3.1-8B-Instruct', 23], gpu: ['a10g', 17], replicas: [3, 7], knobs: { tensorParallel: [1, 25], maxModelLen: [8192, 27], maxNumBatchedTokens: [4096, 29], quantization: ['awq', 31] } }] },
  // Find Cheapest Plan's manifests (test/unit/optimizer.test.ts): a GKE L4 and an EKS H100 (Karpenter instance type) node pool.
  'kubernetes/optimizer-gke-l4.yaml': { format: 'kubernetes', plans: [{ name: 'llama-8b-l4', engine: 'vllm', model: ['meta-llama/Llama-3.1-8B-Instruct', 25], gpu: ['L4', 19], count: [1, 36], knobs: { maxModelLen: [8192, 27], maxNumSeqs: [128, 29], gpuMemoryUtilization: [0.9, 31] }, fits: true }] },
  'kubernetes/optimizer-eks-h100.yaml': { format: 'kubernetes', plans: [{ name: 'qwen3-32b', engine: 'sglang', model: ['Qwen/Qwen3-32B', 32], gpu: ['H100-SXM', 18], count: [4, 45], knobs: { tensorParallel: [4, 34], maxModelLen: [32768, 36], maxNumSeqs: [128, 38], gpuMemoryUtilization: [0.85, 40] }, fits: true }] },
  'kubernetes/lws-vllm-multinode.yaml': { format: 'kubernetes', plans: [{ gpu: ['H100-SXM', 17], count: [16, 28], knobs: { tensorParallel: [8, 25], pipelineParallel: [2, 25] }, fits: true }] },
  'kubernetes/kserve-huggingface.yaml': { format: 'kubernetes', plans: [{ model: ['Qwen/Qwen2.5-7B-Instruct', 12], count: [1, 19], knobs: { maxModelLen: [16384, 13], gpuMemoryUtilization: [0.9, 14] } }] },
  'kubernetes/multi-doc.yaml': {
    format: 'kubernetes',
    plans: [
      { name: 'gemma-2-9b', model: ['google/gemma-2-9b-it', 36], knobs: { maxModelLen: [8192, 36], kvCacheDtype: ['fp8', 36] } },
      { name: 'phi-3-mini', model: ['microsoft/Phi-3-mini-4k-instruct', 59], replicas: [2, 46], knobs: { maxModelLen: [4096, 59] } },
    ],
  },
  'kubernetes/vllm-args-unquoted.yaml': { format: 'kubernetes', plans: [{ model: ['Qwen/Qwen3-8B', 26], gpu: ['NVIDIA-A100-SXM4-80GB', 18], count: [1, 37], replicas: [1, 8], knobs: { maxModelLen: [40960, 28], gpuMemoryUtilization: [0.9, 30], enablePrefixCaching: [true, 31] }, fits: true }], noFindings: true },
  'kubernetes/gke-l4-vllm.yaml': { format: 'kubernetes', plans: [{ gpu: ['L4', 17], count: [1, 37], replicas: [1, 7], knobs: { maxModelLen: [32768, 24], maxNumSeqs: [128, 25] } }], findings: [['max-len-exceeds-kv', 24]] },
  'kubernetes/eks-h100-instance-type.yaml': { format: 'kubernetes', plans: [{ gpu: ['H100-SXM', 18], count: [4, 29], replicas: [2, 8], knobs: { tensorParallel: [4, 26], maxModelLen: [65536, 26] }, fits: true }], absent: ['gpu-count-mismatch'] },
  'kubernetes/karpenter-l40s-sglang.yaml': { format: 'kubernetes', plans: [{ engine: 'sglang', gpu: ['l40s', 26], count: [2, 35], knobs: { tensorParallel: [2, 32], maxModelLen: [16384, 32] }, fits: true }] },
  'kubernetes/sglang-shell-context-above-model.yaml': { format: 'kubernetes', plans: [{ engine: 'sglang', model: ['Qwen/Qwen3-32B', 30], gpu: ['NVIDIA-A100-SXM4-80GB', 23], count: [4, 37], replicas: [2, 9], knobs: { tensorParallel: [4, 31], maxModelLen: [131072, 31], gpuMemoryUtilization: [0.85, 31] }, fits: true }], findings: [['max-len-above-model', 31]] },
  'kubernetes/vllm-flow-args-g6e.yaml': { format: 'kubernetes', plans: [{ model: ['mistralai/Mixtral-8x7B-Instruct-v0.1', 17], gpu: ['L40S', 12], count: [2, 22], replicas: [1, 6], knobs: { tensorParallel: [2, 17], maxModelLen: [32768, 17], gpuMemoryUtilization: [0.92, 17] }, fits: false }], findings: [['does-not-fit', 17]] },
  'kubernetes/tp-three-gpus.yaml': { format: 'kubernetes', plans: [{ count: [3, 33], knobs: { tensorParallel: [3, 26] } }], findings: [['tp-divisibility', 26]], absent: ['gpu-count-mismatch'] },
  'compose/vllm-compose-list.yaml': { format: 'compose', plans: [{ model: ['meta-llama/Llama-3.1-8B-Instruct', 6], count: [1, 16], knobs: { maxModelLen: [16384, 8], enablePrefixCaching: [true, 9] }, fits: true }] },
  'helm/production-stack-gpus.yaml': {
    format: 'helm',
    plans: [
      { name: 'mistral', gpu: ['NVIDIA-A10G', 17], count: [1, 11], replicas: [1, 8], knobs: { maxModelLen: [8192, 19], maxNumSeqs: [64, 20] } },
      { name: 'llama70b', gpu: ['NVIDIA-H100-80GB-HBM3', 33], count: [4, 27], replicas: [1, 26], knobs: { tensorParallel: [4, 35], maxModelLen: [32768, 36] }, fits: true },
    ],
  },
  'kubernetes/vllm-l4-128k-gke.yaml': { format: 'kubernetes', plans: [{ model: ['meta-llama/Llama-3.1-8B-Instruct', 23], gpu: ['L4', 17], count: [1, 28], knobs: { maxModelLen: [131072, 25] }, fits: false }], findings: [['max-len-exceeds-kv', 25]] },
  'kubernetes/gpu-count-mismatch.yaml': { format: 'kubernetes', findings: [['gpu-count-mismatch', 21]] },
  'kubernetes/nginx-not-serving.yaml': { format: null, noFindings: true },
  'helm/production-stack-values.yaml': {
    format: 'helm',
    plans: [
      // extraArgs come after the mapped flags, so the chart's --gpu-memory-utilization 0.8 wins over 0.9.
      { name: 'llama3', model: ['meta-llama/Llama-3.1-8B-Instruct', 8], gpu: ['NVIDIA-L40S', 19], count: [1, 12], replicas: [2, 9], knobs: { maxModelLen: [16384, 22], enablePrefixCaching: [true, 21], gpuMemoryUtilization: [0.8, 25] } },
      { name: 'qwen32b', model: ['Qwen/Qwen3-32B', 29], count: [2, 31], replicas: [1, 30], knobs: { tensorParallel: [2, 33], maxModelLen: [32768, 34], maxNumSeqs: [128, 35] } },
    ],
    findings: [['duplicate-key', 25]],
  },
  'helm/llm-d-values.yaml': {
    format: 'helm',
    plans: [
      { name: 'decode', model: ['RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic', 3], count: [4, 33], replicas: [1, 14], knobs: { tensorParallel: [4, 24], blockSize: [128, 26], maxModelLen: [32000, 30] }, fits: true },
      { name: 'prefill', replicas: [4, 36], count: [1, 53], knobs: { tensorParallel: [1, 38], maxModelLen: [32000, 50] } },
    ],
    absent: ['invalid-value'],
  },
  'compose/vllm-compose.yaml': { format: 'compose', plans: [{ name: 'vllm', model: ['Qwen/Qwen2.5-14B-Instruct', 5], count: [2, 19], knobs: { tensorParallel: [2, 6], maxModelLen: [32768, 7], gpuMemoryUtilization: [0.9, 8] } }] },
  'compose/tgi-compose.yaml': { format: 'compose', plans: [{ engine: 'tgi', model: ['Qwen/Qwen2.5-7B-Instruct', 7], gpu: ['RTX-4090', 1], count: [1, 17], knobs: { maxModelLen: [8192, 8], quantization: ['awq', 10], maxNumSeqs: [64, 11] } }] },
  'profile/chat.deploy.yaml': {
    format: 'profile',
    plans: [{ name: 'chat-assistant', model: ['meta-llama/Llama-3.1-70B-Instruct', 3], gpu: ['H100-SXM', 5], count: [4, 6], replicas: [2, 7], knobs: { tensorParallel: [4, 12], maxModelLen: [32768, 13], kvCacheDtype: ['fp8', 14] }, workload: { inputLen: [3000, 17], outputLen: [500, 18], concurrency: [64, 19], prefixHitRate: [0.4, 20] }, fits: true }],
  },
  'profile/bad.deploy.yaml': { format: 'profile', findings: [['schema', 4], ['schema', 5], ['schema', 7], ['schema', 10], ['schema', 12]], absent: ['slo-miss'] },
  'profile/sglang-rate.deploy.yaml': { format: 'profile', plans: [{ engine: 'sglang', gpu: ['H200', 3], knobs: { tensorParallel: [2, 9] }, workload: { requestRate: [8, 14] } }] },
  'hf/llama-3.1-8b/config.json': { format: 'hf-config', plans: [{ engine: 'vllm', fits: true }] },
  'hf/deepseek-v2-lite/config.json': { format: 'hf-config', plans: [{ fits: true }] },
  'hf/gpt-oss-20b/config.json': { format: 'hf-config', plans: [{ fits: true }] },
  'hf/llama-3.1-8b-fp8-modelopt/config.json': { format: 'hf-config', plans: [{ fits: true }] },
  'hf/unknown-arch/config.json': { format: 'hf-config', plans: [{ fits: true }], findings: ['unmodelled-architecture'] },
  // Benchmark results (issue 23): the configuration and load they state; the measured figures are logReaders.test.ts's.
  'results/vllm-bench-gpt-oss-120b-c16.json': { format: 'benchmark-result', plans: [{ model: ['openai/gpt-oss-120b', 4], engine: 'vllm', workload: { inputLen: [8192, 10], outputLen: [1024, 11], concurrency: [16, 9] } }] },
  'results/inferencex-gpt-oss-120b-h200-c4.json': { format: 'benchmark-result', plans: [{ model: ['openai/gpt-oss-120b', 1], engine: 'vllm', gpu: ['H200', 1], knobs: { tensorParallel: [4, 1] }, workload: { inputLen: [1024, 1], outputLen: [8192, 1], concurrency: [4, 1] } }] },
  'results/profile_export_aiperf.json': { format: 'benchmark-result', plans: [{ model: ['Qwen/Qwen3-32B', 9], workload: { inputLen: [1024, 10], outputLen: [128, 10], concurrency: [8, 11] } }] },
  'not-ours/github-workflow.yaml': { format: null, noFindings: true },
  'not-ours/ansible-playbook.yaml': { format: null, noFindings: true },
  'not-ours/k8s-configmap.yaml': { format: null, noFindings: true },
  // Training configs (issue 22) are not serving configs: the serving readers leave them alone (trainingReaders.test.ts reads them).
  'training/accelerate/deepspeed_zero3.yaml': { format: null },
  'training/accelerate/fsdp1.yaml': { format: null },
  'training/accelerate/fsdp2.yaml': { format: null },
  'training/axolotl/deepspeed_configs/zero3_bf16.json': { format: null },
  'training/axolotl/examples/llama-3/fft-8b.yaml': { format: null },
  'training/axolotl/examples/llama-3/lora-8b.yml': { format: null },
  'training/axolotl/examples/llama-3/qlora-fsdp-70b.yaml': { format: null },
  'training/axolotl/examples/llama-3/qlora.yml': { format: null },
  'training/deepspeed/ds_z2_offload.json': { format: null },
  'training/hf/training_args.json': { format: null },
  'training/llamafactory/examples/deepspeed/ds_z3_config.json': { format: null },
  'training/llamafactory/examples/train_full/llama3_full_sft.yaml': { format: null },
  'training/llamafactory/examples/train_lora/llama3_lora_sft.yaml': { format: null },
  'training/llamafactory/examples/train_qlora/llama3_lora_sft_otfq.yaml': { format: null },
  'training/torchtune/llama3_1/8B_full.yaml': { format: null },
  'training/torchtune/llama3_1/8B_lora_single_device.yaml': { format: null },
  'training/trl/zephyr-7b-sft-qlora.yaml': { format: null },
  // Launchers around the engines (formats/skypilot.ts, dynamo.ts, rayServe.ts, trtllmExtraOptions.ts).
  'skypilot/vllm-llama-70b-service.yaml': {
    format: 'skypilot',
    plans: [{ name: 'llama70b', engine: 'vllm', model: ['meta-llama/Llama-3.1-70B-Instruct', 6, 14], gpu: ['H100-SXM', 20, 17], count: [4, 20, 22], replicas: [3, 16], knobs: { tensorParallel: [4, 32, 27], maxModelLen: [32768, 7, 17], gpuMemoryUtilization: [0.9, 34, 29] }, fits: true }],
    findings: [['launcher-not-read', 20]],
  },
  'skypilot/sglang-qwen-task.yaml': {
    format: 'skypilot',
    plans: [{ engine: 'sglang', model: ['Qwen/Qwen2.5-7B-Instruct', 7, 9], gpu: ['L4', 3, 16], count: [1, 3, 19], knobs: { maxModelLen: [32768, 14, 21], gpuMemoryUtilization: [0.85, 14, 49] }, fits: true }],
    findings: [['launcher-not-read', 14]], absent: ['invalid-value'],
  },
  'dynamo/vllm-disagg-llama-70b.yaml': {
    format: 'dynamo',
    plans: [
      { name: 'VllmDecodeWorker', engine: 'vllm', model: ['nvidia/Llama-3.3-70B-Instruct-FP8', 40], gpu: ['NVIDIA-H100-80GB-HBM3', 30], count: [2, 24], replicas: [2, 21], knobs: { tensorParallel: [2, 42], maxModelLen: [32768, 44], gpuMemoryUtilization: [0.9, 46] }, fits: true },
      { name: 'VllmPrefillWorker', engine: 'vllm', model: ['nvidia/Llama-3.3-70B-Instruct-FP8', 66, 46], count: [2, 57], replicas: [1, 54], knobs: { tensorParallel: [2, 66, 103], maxModelLen: [32768, 66, 121] }, fits: true },
    ],
    absent: ['unknown-key', 'gpu-count-mismatch'],
  },
  'dynamo/sglang-agg-qwen3.yaml': {
    format: 'dynamo',
    plans: [{ name: 'decode', engine: 'sglang', model: ['Qwen/Qwen3-32B', 33], gpu: ['NVIDIA-L40S', 23], count: [1, 20], replicas: [1, 17], knobs: { blockSize: [16, 37], tensorParallel: [1, 39] }, fits: false }],
    findings: [['does-not-fit', 33]], absent: ['unknown-key'],
  },
  'dynamo/trtllm-disagg-configmap.yaml': {
    format: 'dynamo',
    plans: [
      { name: 'TRTLLMPrefillWorker', engine: 'trtllm', model: ['meta-llama/Llama-3.1-8B-Instruct', 62], gpu: ['NVIDIA-L40S', 48], count: [1, 45], knobs: { maxNumBatchedTokens: [8192, 10, 20], maxNumSeqs: [16, 11], disableOverlap: [true, 12], gpuMemoryUtilization: [0.75, 14, 32] }, fits: true },
      { name: 'TRTLLMDecodeWorker', engine: 'trtllm', count: [1, 76], replicas: [2, 73], knobs: { maxNumSeqs: [256, 19, 20], gpuMemoryUtilization: [0.85, 21] }, fits: true },
    ],
    findings: [['max-num-seqs-above-kv', 19]], absent: ['unknown-key', 'launcher-not-read'],
  },
  'ray/serve-llm-qwen-l4.yaml': {
    format: 'ray-serve',
    plans: [
      { name: 'llm_app[0]', engine: 'vllm', model: ['Qwen/Qwen2.5-7B-Instruct', 11, 26], gpu: ['L4', 12], count: 1, replicas: [4, 16], knobs: { tensorParallel: [1, 18], maxModelLen: [32768, 19, 27], gpuMemoryUtilization: [0.92, 20, 36] }, fits: true },
      { name: 'llm_app[1]', model: ['meta-llama/Llama-3.1-8B-Instruct', 23], gpu: ['A100-80GB', 24], replicas: [2, 26], knobs: { maxModelLen: [16384, 28], enableChunkedPrefill: [true, 29] }, fits: true },
    ],
    findings: [['utilization-headroom', 20]],
  },
  'ray/rayservice-llama-70b.yaml': {
    format: 'ray-serve',
    plans: [{ name: 'llms', engine: 'vllm', model: ['meta-llama/Llama-3.1-70B-Instruct', 17, 26], gpu: ['NVIDIA-H100-80GB-HBM3', 52], count: 4, replicas: [2, 25], knobs: { tensorParallel: [4, 19, 34], maxModelLen: [131072, 20, 27], gpuMemoryUtilization: [0.9, 21, 36] } }],
  },
  'kubernetes/trtllm-serve-configmap-options.yaml': {
    format: 'kubernetes',
    plans: [{ engine: 'trtllm', model: ['nvidia/Llama-3.3-70B-Instruct-FP8', 39], gpu: ['NVIDIA-H100-80GB-HBM3', 33], count: [4, 56], knobs: { tensorParallel: [4, 45], maxNumSeqs: [256, 47], gpuMemoryUtilization: [0.85, 14, 32], maxNumBatchedTokens: [8192, 16, 20], cudaGraphMaxBatch: [128, 12, 22] }, fits: true }],
    findings: [['duplicate-key', 49]], absent: ['unknown-key'],
  },
  'bad/alias-bomb.yaml': { format: 'vllm', findings: [['syntax', 3], ['alias-value', 11]] },
  'bad/binary.yaml': { format: null, findings: ['binary'] },
  'bad/truncated.json': { format: 'hf-config', findings: ['syntax'] },
  'bad/deeply-nested.yaml': { format: 'vllm', plans: [{ knobs: { tensorParallel: [1, 3] } }], findings: [['unknown-key', 4]] },
  'bad/absurd-numbers.yaml': { format: 'vllm', findings: [['invalid-value', 2], ['invalid-value', 3], ['invalid-value', 4], ['invalid-value', 5]] },
  'bad/duplicate-keys.yaml': { format: 'vllm', findings: [['syntax', 3]] },
  'bad/unknown-model-gpu.yaml': { format: 'vllm', findings: [['unknown-model', 2]] },
  'vllm/kv-limited-chat.yaml': { format: 'vllm', plans: [{ gpu: ['L4', 2], workload: { concurrency: [64, 2] } }], findings: [['kv-limits-concurrency', 2], ['kv-cache-dtype', 3]] },
  'vllm/model-typo.yaml': { format: 'vllm', findings: [['unknown-model', 2]] },
  'vllm/tp-not-dividing.yaml': { format: 'vllm', plans: [{ knobs: { tensorParallel: [8, 3] } }], findings: [['tp-divisibility', 3]] },
  'vllm/no-headroom.yaml': { format: 'vllm', plans: [{ knobs: { gpuMemoryUtilization: [0.99, 3] } }], findings: [['utilization-headroom', 3]] },
  'vllm/tiny-model-big-gpu.yaml': { format: 'vllm', plans: [{ gpu: ['H200', 2] }], findings: [['oversized-pool', 2]] },
  'profile/prefix-off.deploy.yaml': { format: 'profile', plans: [{ knobs: { enablePrefixCaching: [false, 10] }, workload: { prefixHitRate: [0.6, 15] } }], findings: [['prefix-caching-off', 10]] },
  'vllm/llama-8b-l4-32k.yaml': { format: 'vllm', plans: [{ gpu: ['L4', 2], knobs: { maxModelLen: [32768, 4, 15] }, fits: false }], findings: [['max-len-exceeds-kv', 4]] },
  'vllm/fp8-on-ampere.yaml': { format: 'vllm', plans: [{ gpu: ['A100-80GB', 2], knobs: { quantization: ['fp8', 4], kvCacheDtype: ['fp8', 5] } }], findings: [['quant-not-native', 4], ['kv-dtype-not-native', 5]] },
  'profile/slo-tpot.deploy.yaml': { format: 'profile', plans: [{ knobs: { quantization: ['fp8', 10] } }], findings: [['slo-miss', 16]] },
  'kubernetes/vllm-qwen2.5-vl-images.yaml': { format: 'kubernetes', plans: [{ model: ['Qwen/Qwen2.5-VL-7B-Instruct', 24], gpu: ['L4', 18], count: [1, 35], knobs: { maxModelLen: [32768, 26] }, fits: true }], findings: [['mm-images-exceed-context', 28]] },
  'kubernetes/vllm-qwen2.5-vl-tight-l4.yaml': { format: 'kubernetes', plans: [{ model: ['Qwen/Qwen2.5-VL-7B-Instruct', 24], gpu: ['L4', 18], count: [1, 35], knobs: { maxModelLen: [32768, 26] }, fits: false }], findings: [['mm-encoder-memory', 30]], absent: ['mm-images-exceed-context'] },
  'kubernetes/vllm-qwen2.5-vl-text-only.yaml': { format: 'kubernetes', plans: [{ model: ['Qwen/Qwen2.5-VL-7B-Instruct', 21], gpu: ['NVIDIA-H100-80GB-HBM3', 17], count: [1, 24], fits: true }], absent: ['mm-encoder-memory', 'mm-images-exceed-context'] },
  // Flag hygiene by version (issue 20 item 4): flags the release in the image tag (or directive) deprecated or removed.
  'kubernetes/vllm-legacy-flags.yaml': { format: 'kubernetes', plans: [{ engine: 'vllm', model: ['meta-llama/Llama-3.1-8B-Instruct', 27], gpu: ['NVIDIA-H100-80GB-HBM3', 21], count: [1, 40], knobs: { maxModelLen: [16384, 29] }, fits: true }], findings: [['flag-deprecated', 30], ['flag-removed', 32], ['flag-removed', 34], ['flag-deprecated', 35]], absent: ['unknown-key'] },
  'kubernetes/vllm-task-embed-shell.yaml': { format: 'kubernetes', plans: [{ engine: 'vllm', model: ['Qwen/Qwen3-Embedding-8B', 22], gpu: ['L4', 27], knobs: { pooling: [true, 22], maxModelLen: [8192, 22], gpuMemoryUtilization: [0.85, 22] }, fits: true }], findings: [['flag-deprecated', 22]], absent: ['flag-removed'] },
  'kubernetes/vllm-speculative-model-flags.yaml': { format: 'kubernetes', plans: [{ engine: 'vllm', model: ['meta-llama/Llama-3.1-70B-Instruct', 20], count: [4, 23], knobs: { tensorParallel: [4, 20], maxModelLen: [8192, 20] } }], findings: [['flag-removed', 20]], absent: ['unknown-key'] },
  'sglang/deepseek-r1-enable-ep-moe.yaml': { format: 'sglang', plans: [{ engine: 'sglang', model: ['deepseek-ai/DeepSeek-R1', 4], knobs: { tensorParallel: [8, 5], gpuMemoryUtilization: [0.85, 7] } }], findings: [['flag-deprecated', 6]], absent: ['unknown-key'] },
  'kubernetes/tgi-max-input-length-env.yaml': { format: 'kubernetes', plans: [{ engine: 'tgi', model: ['mistralai/Mistral-7B-Instruct-v0.3', 24], gpu: ['L4', 18], knobs: { maxModelLen: [8192, 28] }, fits: true }], findings: [['flag-deprecated', 25]] },
  'kubernetes/vllm-v0.11-image.yaml': { format: 'kubernetes', plans: [{ model: ['Qwen/Qwen3-8B', 24], gpu: ['NVIDIA-H100-80GB-HBM3', 18], count: [1, 32], knobs: { maxModelLen: [32768, 26] }, fits: true }], noFindings: true },
  'vllm/tp3-64-heads.yaml': { format: 'vllm', plans: [{ count: [3, 1], knobs: { tensorParallel: [3, 5] }, fits: true }], findings: [['tp-divisibility', 5]] },
  // Pooling models (issue 19 item 4): TEI through env and through a Compose command, vLLM --runner pooling with decode
  // settings, an embedding checkpoint without the runner, SGLang --is-embedding.
  'kubernetes/tei-bge-deployment.yaml': { format: 'kubernetes', plans: [{ engine: 'tei', model: ['BAAI/bge-large-en-v1.5', 28], gpu: ['L4', 20], replicas: [2, 10], knobs: { maxNumBatchedTokens: [32768, 30], maxNumSeqs: [256, 34], dtype: ['float16', 38] }, fits: true }], noFindings: true },
  'compose/tei-compose.yaml': { format: 'compose', plans: [{ engine: 'tei', model: ['BAAI/bge-reranker-v2-m3', 5], knobs: { maxNumBatchedTokens: [16384, 5] }, fits: true }], noFindings: true },
  'kubernetes/vllm-pooling-qwen3-embedding.yaml': {
    format: 'kubernetes',
    plans: [{ engine: 'vllm', model: ['Qwen/Qwen3-Embedding-8B', 24], knobs: { pooling: [true, 26], maxNumSeqs: [512, 30], kvCacheDtype: ['fp8', 32], enablePrefixCaching: [true, 33] }, fits: true }],
    findings: [['pooling-decode-knobs', 32], ['pooling-decode-knobs', 30], ['pooling-kv-pool', 24]], absent: ['pooling-runner-mismatch', 'kv-cache-dtype'],
  },
  'kubernetes/vllm-embedding-without-runner.yaml': { format: 'kubernetes', plans: [{ engine: 'vllm', model: ['Qwen/Qwen3-Embedding-0.6B', 20] }], findings: [['pooling-runner-mismatch', 20]] },
  'kubernetes/sglang-is-embedding.yaml': { format: 'kubernetes', plans: [{ engine: 'sglang', model: ['Qwen/Qwen3-Embedding-4B', 22], knobs: { pooling: [true, 22], gpuMemoryUtilization: [0.85, 23] }, fits: true }], findings: [['pooling-kv-pool', 23]], absent: ['pooling-runner-mismatch'] },
  'vllm/qwen3-8b-max-len-65536.yaml': { format: 'vllm', plans: [{ knobs: { maxModelLen: [65536, 5] }, fits: true }], findings: [['max-len-above-model', 5]] },
  // Kubernetes-native launchers (issue 20 item 1): KServe runtime + service pairs, llm-d ModelService, KubeAI Model, NIM.
  'kserve/vllm-runtime-llama.yaml': {
    format: 'kubernetes',
    // The predictor's --max-model-len (line 59) comes after the runtime's (line 28) and wins, with no duplicate warning.
    plans: [{ name: 'llama-31-8b', engine: 'vllm', model: ['meta-llama/Llama-3.1-8B-Instruct', 57], gpu: ['L4', 52], count: [1, 72], replicas: [4, 50], knobs: { maxModelLen: [16384, 59], gpuMemoryUtilization: [0.92, 60], maxNumSeqs: [128, 61] }, fits: true }],
    absent: ['duplicate-key', 'missing-model', 'unknown-key', 'max-len-above-model'],
  },
  'kserve/runtime-auto-select.yaml': {
    format: 'kubernetes',
    plans: [{ name: 'qwen3-32b', model: ['Qwen/Qwen3-32B', 53], gpu: ['H100-SXM', 49], count: [2, 40], knobs: { tensorParallel: [2, 35], maxModelLen: [65536, 37] }, fits: true }],
    // The SGLang runtime on two GPUs mounts no /dev/shm: the merged pod is checked.
    findings: [['max-len-above-model', 37], ['kserve-runtime-no-model', 12], ['shm-too-small', 51]],
  },
  'llm-d/modelservice-pd.yaml': {
    format: 'kubernetes',
    plans: [
      { name: 'llama-31-8b-pd decode', model: ['meta-llama/Llama-3.1-8B-Instruct', 14], count: [2, 35], replicas: [2, 17], knobs: { tensorParallel: [2, 25], maxModelLen: [32768, 27] }, fits: true },
      { name: 'llama-31-8b-pd prefill', count: [1, 52], replicas: [1, 37], knobs: { tensorParallel: [1, 39], maxModelLen: [32768, 45], gpuMemoryUtilization: [0.98, 47] }, fits: true },
    ],
    findings: [['utilization-headroom', 47], ['llmd-base-config-unread', 10]], absent: ['llmd-parallelism-mismatch'],
  },
  'kubeai/llama-3.1-8b-l4.yaml': {
    format: 'kubernetes',
    plans: [
      { name: 'llama-3.1-8b-instruct-l4', engine: 'vllm', model: ['meta-llama/Llama-3.1-8B-Instruct', 8], gpu: ['L4', 16], count: [1, 16], replicas: [3, 18], knobs: { maxNumBatchedTokens: [16384, 11], gpuMemoryUtilization: [0.9, 12] }, fits: false },
      { name: 'llama-3.3-70b-h100', model: ['meta-llama/Llama-3.3-70B-Instruct', 37], gpu: ['H100-SXM', 42], count: [4, 42], replicas: [1, 43], knobs: { tensorParallel: [4, 40], enablePrefixCaching: [true, 41] }, fits: true },
    ],
    findings: [['max-len-exceeds-kv', 8], ['kubeai-engine-unmodelled', 27]],
  },
  'nim/nimservice-llama-3.1-8b.yaml': {
    format: 'kubernetes',
    plans: [{ name: 'meta-llama-3-1-8b-instruct', engine: 'vllm', model: ['meta-llama/Llama-3.1-8B-Instruct', 8], gpu: ['NVIDIA-H100-80GB-HBM3', 20], count: [1, 23], replicas: [2, 18], knobs: { maxModelLen: [262144, 30], enablePrefixCaching: [true, 32] } }],
    findings: [['max-len-above-model', 30], ['nim-engine-assumed', 8]],
  },
  'nim/nim-llm-values.yaml': {
    format: 'helm',
    plans: [{ name: 'meta/llama-3.1-70b-instruct', engine: 'trtllm', model: ['meta-llama/Llama-3.1-70B-Instruct', 4], gpu: ['H100-SXM', 21], count: [4, 18], replicas: [1, 19], knobs: { maxModelLen: [32768, 26] }, fits: true }],
    absent: ['nim-engine-assumed', 'gpu-count-mismatch'],
  },
  'nim/deployment-nim.yaml': {
    format: 'kubernetes',
    plans: [{ name: 'llama-31-8b-nim', engine: 'vllm', model: ['meta-llama/Llama-3.1-8B-Instruct', 20], gpu: ['L4', 17], count: [1, 33], replicas: [1, 7], fits: false }],
    findings: [['nim-engine-assumed', 20], ['nim-kv-cache-percent', 28], ['max-len-exceeds-kv', 20]],
  },
  // The pod around the engine and offloading (issue 20 items 2-3): /dev/shm, memory limit against host tiers, probes.
  'kubernetes/vllm-tp4-no-shm-probes.yaml': { format: 'kubernetes', plans: [{ model: ['meta-llama/Llama-3.1-70B-Instruct', 25], gpu: ['NVIDIA-H100-80GB-HBM3', 19], count: [4, 40], knobs: { tensorParallel: [4, 27], maxModelLen: [16384, 29] }, fits: true }], findings: [['shm-too-small', 21], ['probe-before-load', 50]], absent: ['host-memory-limit', 'cpu-offload-unneeded'] },
  'kubernetes/vllm-offload-statefulset.yaml': { format: 'kubernetes', plans: [{ model: ['Qwen/Qwen2.5-32B-Instruct', 25], knobs: { tensorParallel: [2, 27], cpuOffloadGb: [16, 29] }, fits: true }], findings: [['cpu-offload-unneeded', 29], ['shm-too-small', 52], ['host-memory-limit', 37]], absent: ['probe-before-load'] },
  'compose/vllm-lmcache-compose.yaml': { format: 'compose', plans: [{ model: ['meta-llama/Llama-3.1-8B-Instruct', 8], count: [2, 31], knobs: { tensorParallel: [2, 10] } }], findings: [['shm-too-small', 4], ['host-memory-limit', 27]] },
  'kubernetes/sglang-hicache-kserve.yaml': { format: 'kubernetes', plans: [{ engine: 'sglang', model: ['Qwen/Qwen3-32B', 20], count: [2, 30], knobs: { tensorParallel: [2, 22] } }], findings: [['host-memory-limit', 31], ['probe-before-load', 34]], absent: ['shm-too-small'] },
  // The pod checks on Helm values and operator resources: the chart's or the merged pod's own keys.
  'helm/production-stack-pod.yaml': {
    format: 'helm',
    plans: [
      { name: 'llama70b', model: ['meta-llama/Llama-3.3-70B-Instruct', 10], gpu: ['NVIDIA-H100-80GB-HBM3', 21], count: [4, 14], knobs: { tensorParallel: [4, 27], maxModelLen: [32768, 23] }, fits: true },
      { name: 'qwen32b', model: ['Qwen/Qwen2.5-32B-Instruct', 32], gpu: ['NVIDIA-H200', 44], count: [2, 37], knobs: { tensorParallel: [2, 46], maxModelLen: [16384, 47] }, fits: true },
    ],
    findings: [['shm-too-small', 7], ['shm-too-small', 38], ['host-memory-limit', 36], ['probe-before-load', 51]],
  },
  'helm/production-stack-lmcache.yaml': {
    format: 'helm',
    plans: [{ name: 'mistral', model: ['mistralai/Mistral-7B-Instruct-v0.3', 9], count: [1, 14], knobs: { maxModelLen: [16384, 18], enablePrefixCaching: [false, 17] }, fits: true }],
    findings: [['host-memory-limit', 13]],
  },
  'kserve/vllm-runtime-tp4-pod.yaml': {
    format: 'kubernetes',
    plans: [{ name: 'llama-33-70b', model: ['meta-llama/Llama-3.3-70B-Instruct', 63], count: [4, 76], replicas: [2, 56], knobs: { tensorParallel: [4, 65], maxModelLen: [32768, 66] }, fits: true }],
    findings: [['shm-too-small', 60], ['host-memory-limit', 75], ['probe-before-load', 40]],
  },
  'kserve/vllm-runtime-shm-liveness.yaml': {
    format: 'kubernetes',
    plans: [{ name: 'qwen-32b', model: ['Qwen/Qwen2.5-32B-Instruct', 43], gpu: ['NVIDIA-H200', 39], count: [2, 49], knobs: { tensorParallel: [2, 44] }, fits: true }],
    findings: [['shm-too-small', 30], ['probe-before-load', 46]], absent: ['host-memory-limit'],
  },
  'dynamo/sglang-hicache-pod.yaml': {
    format: 'dynamo',
    plans: [{ name: 'decode', engine: 'sglang', model: ['Qwen/Qwen3-32B', 39], gpu: ['NVIDIA-H200', 29], count: [2, 25], knobs: { tensorParallel: [2, 43] }, fits: true }],
    findings: [['host-memory-limit', 26], ['probe-before-load', 53]], absent: ['shm-too-small'],
  },
  'nim/nimservice-70b-probe.yaml': {
    format: 'kubernetes',
    plans: [{ name: 'meta-llama-3-1-70b-instruct', model: ['meta-llama/Llama-3.1-70B-Instruct', 9], count: [2, 24], knobs: { tensorParallel: [2, 41], maxModelLen: [8192, 43] }, fits: true }],
    findings: [['probe-before-load', 34]], absent: ['shm-too-small', 'host-memory-limit'],
  },
};

describe('fixtures → normalized plans with source ranges', () => {
  for (const [rel, e] of Object.entries(expectations)) {
    it(rel, () => {
      const a = analyzeFixture(rel);
      assert.equal(a.format, e.format, 'format');
      if (e.noFindings) assert.deepEqual(a.findings, []);
      if (e.plans) {
        assert.equal(a.workloads.length, e.plans.length, 'number of plans');
        e.plans.forEach((pe, i) => {
          const w = a.workloads[i];
          checkPlan(w.plan, pe, `plan ${i}`);
          if (pe.fits !== undefined) assert.equal(w.estimate?.memory.fits, pe.fits, `plan ${i} fits`);
        });
      }
      for (const f of e.findings ?? []) {
        const [rule, line] = Array.isArray(f) ? f : [f, undefined];
        assert.ok(a.findings.some((x) => x.rule === rule && (line === undefined || x.range.start.line + 1 === line)), `expected ${rule}${line ? ` on line ${line}` : ''}; got ${JSON.stringify(a.findings.map((x) => [x.rule, x.range.start.line + 1]))}`);
      }
      for (const rule of e.absent ?? []) assert.ok(!a.findings.some((x) => x.rule === rule), `unexpected ${rule}`);
    });
  }

  // equivalence/, check/, calibration-runs/ and measured/ hold the inputs of their own tests (equivalence, check, calibrate,
  // the Measured section), which state what each file reads as.
  it('covers at least 30 fixture files, and every fixture file has an expectation', () => {
    const all: string[] = [];
    const walk = (dir: string, rel = '') => {
      for (const f of fs.readdirSync(dir)) {
        const p = path.join(dir, f);
        if (fs.statSync(p).isDirectory()) walk(p, `${rel}${f}/`);
        else if (/\.(ya?ml|json)$/.test(f) && !/(hf_quant|adapter)_config\.json$/.test(f) && !/^(equivalence|check|calibration-runs|measured)\//.test(rel)) all.push(`${rel}${f}`);
      }
    };
    walk(fixture());
    const missing = all.filter((f) => !(f in expectations));
    assert.deepEqual(missing, [], 'fixtures without an expectation');
    assert.ok(Object.keys(expectations).length >= 30);
  });
});

describe('the same deployment written four ways reads as the same plan', () => {
  it('vLLM YAML, a Kubernetes args list, production-stack Helm values and a profile agree', () => {
    const files = ['equivalence/llama.vllm.yaml', 'equivalence/llama-k8s.yaml', 'equivalence/llama-helm-values.yaml', 'equivalence/llama.deploy.yaml'];
    const summaries = files.map((f) => {
      const a = analyzeFixture(f);
      assert.equal(a.workloads.length, 1, f);
      const p = a.workloads[0].plan;
      const knobs = Object.fromEntries(Object.entries(p.knobs).map(([k, s]) => [k, (s as Sourced<unknown>).value]).sort(([x], [y]) => String(x).localeCompare(String(y))));
      return { model: p.model.ref.value, engine: p.engine.name.value, count: p.hardware.count?.value, knobs, estimate: a.workloads[0].estimate?.memory.kvCapacityTokens };
    });
    for (let i = 1; i < summaries.length; i++) assert.deepEqual(summaries[i], summaries[0], `${files[i]} vs ${files[0]}`);
  });
});

describe('a file with several workloads', () => {
  it('names the workload a finding on a shared key concerns, and the estimate lists it under that workload only', () => {
    const a = analyzeFixture('helm/llm-d-values.yaml');
    const f = a.findings.filter((x) => x.rule === 'max-len-exceeds-kv');
    // One max-model-len (line 50) serves both roles: only the 1-GPU prefill worker cannot hold a 32000-token request.
    assert.deepEqual(f.map((x) => [x.workload, x.range.start.line + 1]), [[1, 50]]);
    assert.match(f[0].message, /^prefill: One 32000-token request/);
    const md = analysisMarkdown(a);
    const [decode, prefill] = md.split(/^## /m).slice(1);
    assert.match(decode, /^decode: /);
    assert.ok(!decode.includes('max-len-exceeds-kv'), 'decode section lists the prefill finding');
    assert.match(prefill, /^prefill: [\s\S]*max-len-exceeds-kv/);
  });

  it('lists file-level findings once, before the workloads', () => {
    const md = analysisMarkdown(analyzeFixture('helm/production-stack-values.yaml'));
    assert.equal(md.match(/duplicate-key/g)?.length, 1);
    assert.ok(md.indexOf('## This file') < md.indexOf('## llama3: '));
  });
});

describe('near misses of catalog ids', () => {
  it('a mistyped GPU in a profile names the one it meant and renames it in place', () => {
    const text = 'model: meta-llama/Llama-3.1-8B-Instruct\nhardware:\n  gpu: A100-80G   # one letter short\n  count: 1\n';
    const a = analyze('file:///x/typo.deploy.yaml', text);
    const f = a.findings.find((x) => x.rule === 'unknown-gpu')!;
    assert.match(f.message, /Did you mean "A100-80GB"\?/);
    const edits = editsForFix(f.fixes![0], a.workloads[0].plan, text)!;
    assert.equal(applyEdits(text, edits).split('\n')[2], '  gpu: A100-80GB   # one letter short');
  });

  it('a GPU or model nowhere near the catalog gets no rename, and the known list instead', () => {
    const a = analyze('file:///x/far.deploy.yaml', 'model: meta-llama/Llama-3.1-8B-Instruct\nhardware:\n  gpu: Voodoo-5-6000\n');
    const f = a.findings.find((x) => x.rule === 'unknown-gpu')!;
    assert.equal(f.fixes, undefined);
    assert.match(f.message, /Known: A10G, /);
  });
});

describe('edits that add several keys at one point', () => {
  it('a nested key joins its block before a new top-level key when that block ends the file', () => {
    const text = '# deploy-advisor: gpu=H200\nmodel: deepseek-ai/DeepSeek-R1\ntensor_parallel_size: 8\nkv_cache_config:\n  free_gpu_memory_fraction: 0.85\n';
    const plan = analyze('file:///x/trtllm-options.yaml', text).workloads[0].plan;
    const edits = editsForFix({ title: '', changes: [{ knob: 'maxNumBatchedTokens', value: 2048 }, { knob: 'kvCacheDtype', value: 'fp8' }, { knob: 'enableChunkedPrefill', value: true }] }, plan, text)!;
    const fixed = applyEdits(text, edits);
    assert.equal(fixed.split('\n').slice(3).join('\n'), 'kv_cache_config:\n  free_gpu_memory_fraction: 0.85\n  dtype: fp8\nmax_num_tokens: 2048\nenable_chunked_prefill: true\n');
    const again = analyze('file:///x/trtllm-options.yaml', fixed).workloads[0].plan;
    assert.equal(again.knobs.kvCacheDtype?.value, 'fp8');
    assert.equal(again.knobs.maxNumBatchedTokens?.value, 2048);
  });

  it('a value the engine\'s key does not take is not written (TGI has no kv-cache-dtype auto: leaving it out is auto)', () => {
    const text = 'services:\n  tgi:\n    image: ghcr.io/huggingface/text-generation-inference:3.3.4\n    command: ["--model-id", "Qwen/Qwen2.5-7B-Instruct", "--kv-cache-dtype", "fp8_e4m3fn"]\n';
    const plan = analyze('file:///x/compose.yaml', text).workloads[0].plan;
    assert.equal(plan.knobs.kvCacheDtype?.value, 'fp8_e4m3fn');
    assert.equal(editsForFix({ title: '', changes: [{ knob: 'kvCacheDtype', value: 'auto' }] }, plan, text), undefined);
    assert.ok(editsForFix({ title: '', changes: [{ knob: 'kvCacheDtype', value: 'fp8' }] }, plan, text));
  });

  it('TGI configured through its environment takes new options as variables (Kubernetes env list, Compose mapping)', () => {
    const changes = [{ knob: 'maxNumSeqs' as const, value: 64 }, { knob: 'kvCacheDtype' as const, value: 'fp8' }];
    const k8s = fs.readFileSync(fixture('kubernetes', 'tgi-deployment-env.yaml'), 'utf8');
    const plan = analyze('file:///x/tgi.yaml', k8s).workloads[0].plan;
    const fixed = applyEdits(k8s, editsForFix({ title: '', changes }, plan, k8s)!);
    assert.match(fixed, /\n {12}- name: QUANTIZE\n {14}value: awq\n {12}- name: MAX_CONCURRENT_REQUESTS\n {14}value: "64"\n {12}- name: KV_CACHE_DTYPE\n {14}value: "fp8_e4m3fn"\n {10}resources:/);
    const compose = 'services:\n  tgi:\n    image: ghcr.io/huggingface/text-generation-inference:3.3.4\n    environment:\n      MODEL_ID: Qwen/Qwen2.5-7B-Instruct\n      MAX_TOTAL_TOKENS: 8192\n';
    const cplan = analyze('file:///x/compose.yaml', compose).workloads[0].plan;
    const cfixed = applyEdits(compose, editsForFix({ title: '', changes }, cplan, compose)!);
    // A new Compose variable is a string even where the file writes numbers bare (docker compose rejects booleans).
    assert.ok(cfixed.endsWith('      MAX_TOTAL_TOKENS: 8192\n      MAX_CONCURRENT_REQUESTS: "64"\n      KV_CACHE_DTYPE: fp8_e4m3fn\n'), cfixed);
    for (const [uri, text] of [['file:///x/tgi.yaml', fixed], ['file:///x/compose.yaml', cfixed]]) {
      const again = analyze(uri, text).workloads[0].plan;
      assert.equal(again.knobs.maxNumSeqs?.value, 64, uri);
      assert.equal(again.knobs.kvCacheDtype?.value, 'fp8_e4m3fn', uri);
    }
  });

  it('a key written with a value the reader rejected is corrected in place, not added twice', () => {
    const text = 'model: meta-llama/Llama-3.1-8B-Instruct\nmax-num-seqs: lots   # not an integer\n';
    const plan = analyze('file:///x/vllm.yaml', text).workloads[0].plan;
    assert.equal(plan.knobs.maxNumSeqs, undefined);
    const fixed = applyEdits(text, editsForFix({ title: '', changes: [{ knob: 'maxNumSeqs', value: 64 }] }, plan, text)!);
    assert.equal(fixed, 'model: meta-llama/Llama-3.1-8B-Instruct\nmax-num-seqs: 64   # not an integer\n');
  });
});
