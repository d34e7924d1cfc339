/**
 * A finding cites a paper only when the paper studies the change the finding proposes (issue 16, item 8). The rules
 * run over every fixture and over plans built here to trigger each rule; every (rule, change) pair they offer must be
 * in CITES, cite that family, and the family's papers must carry a topic the change may cite (TOPICS) — or the family
 * has no paper and its evidence line says so plainly.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { evidenceLine, papersFor } from '../../server/src/evidence/catalog';
import { families, FamilyId } from '../../server/src/evidence/families';
import { techniqueFor, techniquesFor } from '../../server/src/evidence/techniques';
import type { ReadContext } from '../../server/src/formats/types';
import { localModelLoader } from '../../server/src/node/localModels';
import { analyze, Analysis } from '../../server/src/pipeline';
import type { FixIntent } from '../../server/src/rules/types';
import { fixture, root } from '../support/paths';

/** What a fix changes, as a kind: its knobs in order of name, then the hardware it changes ("tensorParallel+gpusPerReplica"). */
function changeKind(fix: FixIntent): string {
  if (fix.rename) return 'rename';
  const hw = Object.keys(fix.hardware ?? {}).filter((k) => (fix.hardware as Record<string, unknown>)[k] !== undefined);
  const pod = (fix.pod ?? []).map((c) => `pod.${c.kind}`);
  return [...fix.changes.map((c) => c.knob).sort(), ...hw.sort(), ...pod.sort()].join('+') || 'none';
}

/**
 * (rule, change kind) → the family its evidence must come from; `null`: cites nothing. `(no fix)` is the finding
 * itself when it offers no fix. New fixes (combinations, the multi-GPU fix) need a row here.
 */
const CITES: Record<string, FamilyId | null> = {
  'max-len-exceeds-kv maxModelLen': 'context-length',
  'max-len-exceeds-kv kvCacheDtype': 'kv-quantization',
  'max-len-exceeds-kv quantization': 'weight-quantization',
  'max-len-exceeds-kv gpuMemoryUtilization': 'memory-utilization',
  'max-len-exceeds-kv kvCacheDtype+quantization': 'weight-quantization',
  'max-len-exceeds-kv tensorParallel+gpusPerReplica': 'parallelism',
  'max-len-exceeds-kv (no fix)': null,
  'does-not-fit tensorParallel+gpusPerReplica': 'parallelism',
  // Quantize and split in one step (combinedFixes.ts): the split is what the fix stands on, FP8 halves what is split.
  'does-not-fit quantization+tensorParallel+gpusPerReplica': 'parallelism',
  'does-not-fit quantization': 'weight-quantization',
  'does-not-fit kvCacheDtype+quantization': 'weight-quantization',
  'does-not-fit gpuMemoryUtilization+quantization': 'weight-quantization',
  'does-not-fit (no fix)': null,
  'kv-limits-concurrency kvCacheDtype': 'kv-quantization',
  'kv-limits-concurrency attentionDataParallel': 'data-parallelism',
  'kv-limits-concurrency attentionDataParallel+dataParallel': 'data-parallelism',
  'kv-limits-concurrency tensorParallel+gpusPerReplica': 'parallelism',
  'kv-limits-concurrency kvCacheDtype+quantization': 'weight-quantization',
  'kv-limits-concurrency (no fix)': null,
  'kv-cache-dtype kvCacheDtype': 'kv-quantization',
  'kv-cache-dtype (no fix)': 'kv-quantization',
  'tp-divisibility tensorParallel+gpusPerReplica': 'parallelism',
  'max-len-above-model maxModelLen': 'context-length',
  // YaRN extends the positions a model accepts: no seed paper studies RoPE scaling, so it cites nothing.
  'max-len-above-model ropeScaling': null,
  'max-len-above-model (no fix)': null,
  'tp-divisibility (no fix)': null,
  'utilization-headroom gpuMemoryUtilization': 'memory-utilization',
  'slo-miss quantization': 'weight-quantization',
  'slo-miss kvCacheDtype': 'kv-quantization',
  'slo-miss tensorParallel+gpusPerReplica': 'parallelism',
  'slo-miss enablePrefixCaching': 'prefix-caching',
  'slo-miss speculative': 'speculative-decoding',
  'slo-miss (no fix)': null,
  'prefix-caching-off enablePrefixCaching': 'prefix-caching',
  'prefix-caching-off (no fix)': 'prefix-caching',
  'chunked-prefill-off enableChunkedPrefill+maxNumBatchedTokens': 'chunked-prefill',
  'chunked-prefill-off (no fix)': 'chunked-prefill',
  // A step budget that holds a whole prompt beside the decodes, or chunking: both are the token-budget question Sarathi studies.
  'trtllm-prompt-starvation maxNumBatchedTokens': 'chunked-prefill',
  'trtllm-prompt-starvation enableChunkedPrefill': 'chunked-prefill',
  'trtllm-prompt-starvation (no fix)': 'chunked-prefill',
  'max-num-seqs-above-kv maxNumSeqs': 'continuous-batching',
  'oversized-pool (no fix)': 'hardware-choice',
  'oversized-pool gpu': 'hardware-choice',
  // Says what the estimator does not model; it proposes no change, so it cites nothing.
  'unmodelled-architecture (no fix)': null,
  // Serving features (issue 19): engine accounting of adapter slots, encoder budgets and pooling runners — no seed paper
  // studies these settings, so they cite nothing; the memory-fraction and KV-dtype fixes cite their families.
  'lora-slots-share maxLoras': null,
  'lora-slots-share maxLoraRank': null,
  'lora-slots-share (no fix)': null,
  'lora-rank-above-max maxLoraRank': null,
  'lora-rank-above-max (no fix)': null,
  'mm-images-exceed-context mmLimits': null,
  'mm-images-exceed-context mmProcessorKwargs': null,
  'mm-images-exceed-context (no fix)': null,
  'mm-encoder-memory mmProcessorKwargs': null,
  'mm-encoder-memory mmLimits': null,
  'mm-encoder-memory (no fix)': null,
  'pooling-runner-mismatch pooling': null,
  'pooling-runner-mismatch (no fix)': null,
  'pooling-kv-pool gpuMemoryUtilization': 'memory-utilization',
  'pooling-kv-pool (no fix)': null,
  'pooling-decode-knobs kvCacheDtype': 'kv-quantization',
  'pooling-decode-knobs enablePrefixCaching': 'prefix-caching',
  'pooling-decode-knobs maxNumBatchedTokens': 'continuous-batching',
  'pooling-decode-knobs (no fix)': null,
  // Drafting on a model that generates nothing: no seed paper studies that case.
  'pooling-decode-knobs speculative': null,
  'speculative-slower speculative': 'speculative-decoding',
  'speculative-slower (no fix)': 'speculative-decoding',
  'drafter-not-counted (no fix)': null,
  // Flag hygiene (issue 20): a rewrite of a flag the engine renamed or dropped changes no knob; it cites nothing.
  'flag-deprecated none': null,
  'flag-removed none': null,
  'flag-deprecated (no fix)': null,
  'flag-removed (no fix)': null,
  'flag-too-new none': null,
  'flag-too-new (no fix)': null,
  // The pod around the engine (issue 20): /dev/shm, memory limits and probes are Kubernetes plumbing no seed paper
  // studies; dropping CPU weight offload is the offloading family's question (what streaming weights costs per step).
  'shm-too-small pod.shm': null,
  'host-memory-limit pod.memoryLimit': null,
  'probe-before-load pod.probe': null,
  'cpu-offload-unneeded cpuOffloadGb': 'offloading',
  'cpu-offload-unneeded (no fix)': null,
  // Training configs (issue 22, rules/training): the serving families must not cite training papers, so these cite no
  // family; the two advices a seed paper backs (ZeRO, 8-bit optimizers) name it in their message, checked against the
  // seeds by test/unit/trainingEvidence.test.ts. Their fixes edit the framework's keys, no serving knob ('none').
  'training-does-not-fit none': null,
  'training-does-not-fit (no fix)': null,
  'training-checkpointing-off none': null,
  'training-checkpointing-off (no fix)': null,
  'training-micro-batch-can-double none': null,
  'training-micro-batch-can-double (no fix)': null,
  'training-8bit-optimizer none': null,
  'training-8bit-optimizer (no fix)': null,
  'training-zero-shard (no fix)': null,
  'training-qlora-consumer-gpu none': null,
  'training-qlora-consumer-gpu (no fix)': null,
};

/** The topics a paper must study to back each family's changes: serving work on that change, not training or vision. */
const TOPICS: Partial<Record<FamilyId, string[]>> = {
  'kv-quantization': ['kv-quantization', 'kv-mixed-precision'],
  'weight-quantization': ['weight-quantization'],
  'prefix-caching': ['kv-reuse'],
  'chunked-prefill': ['chunked-prefill'],
  'continuous-batching': ['continuous-batching', 'batch-scheduling', 'preemption'],
  'speculative-decoding': ['speculative-decoding'],
  parallelism: ['tensor-parallel-inference', 'pipeline-parallel-inference', 'tp-communication'],
  'expert-parallelism': ['moe-inference'],
  'context-length': ['long-context-kv-analysis'],
  'hardware-choice': ['llm-platform-analysis'],
  'data-parallelism': [],
  'memory-utilization': [],
  offloading: ['inference-offloading', 'weight-offloading', 'kv-offloading', 'attention-offloading', 'moe-expert-offloading'],
};

const titleOf = (line: string) => /“(.+)”$/.exec(line)?.[1];

function analyzeFile(file: string): Analysis {
  const side = file.replace(/\.ya?ml$/, '.deploy.yaml');
  const ctx: ReadContext = { loadLocalConfig: localModelLoader(path.dirname(file)) };
  if (side !== file && fs.existsSync(side)) ctx.sideProfile = { uri: pathToFileURL(side).href, text: fs.readFileSync(side, 'utf8') };
  return analyze(pathToFileURL(file).href, fs.readFileSync(file, 'utf8'), ctx);
}

function fixtureFiles(dir = fixture()): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return fs.existsSync(path.join(p, 'config.json')) ? [path.join(p, 'config.json')] : fixtureFiles(p);
    return /\.(ya?ml|json)$/.test(d.name) ? [p] : [];
  });
}

/** Plans built to trigger each rule and its fixes (long contexts on small GPUs, SLOs, DP attention, ...). */
const CONSTRUCTED: Array<[string, string]> = [
  ['l4-128k.yaml', '# deploy-advisor: gpu=L4 input-len=2000 output-len=300 concurrency=4\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 131072\n'],
  ['l4-24k-many.yaml', '# deploy-advisor: gpu=L4 input-len=4000 output-len=500 concurrency=32\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 16384\nmax-num-seqs: 256\n'],
  ['h100-70b.yaml', '# deploy-advisor: gpu=H100-SXM count=1 input-len=1000 output-len=200 concurrency=8\nmodel: meta-llama/Llama-3.1-70B-Instruct\nmax-model-len: 8192\n'],
  ['a100-32b.yaml', '# deploy-advisor: gpu=A100-80GB count=4 input-len=2000 output-len=300 concurrency=64\nmodel: Qwen/Qwen3-32B\ntensor-parallel-size: 3\n'],
  ['h100-headroom.yaml', '# deploy-advisor: gpu=H100-SXM input-len=1000 output-len=200 concurrency=4\nmodel: meta-llama/Llama-3.1-8B-Instruct\ngpu-memory-utilization: 0.99\n'],
  ['h100-kv.yaml', '# deploy-advisor: gpu=H100-SXM input-len=8000 output-len=1000 concurrency=64\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 16384\n'],
  ['chunked.yaml', '# deploy-advisor: gpu=H100-SXM input-len=8000 output-len=300 concurrency=8\nmodel: meta-llama/Llama-3.1-8B-Instruct\nenable-chunked-prefill: false\nmax-num-batched-tokens: 16384\nmax-model-len: 16384\n'],
  ['slo.deploy.yaml', 'model: meta-llama/Llama-3.1-8B-Instruct\nhardware:\n  gpu: H100-SXM\n  count: 2\nengine:\n  name: vllm\n  options:\n    max-model-len: 16384\n    enable-prefix-caching: false\nworkload:\n  inputLen: 6000\n  outputLen: 300\n  concurrency: 4\n  prefixShare: 0.8\nslo:\n  ttftMs: 120\n  tpotMs: 6.5\n  minThroughput: 560\n'],
  ['oversized.deploy.yaml', 'model: Qwen/Qwen3-0.6B\nhardware:\n  gpu: H200\n  count: 1\nengine:\n  name: vllm\nworkload:\n  inputLen: 500\n  outputLen: 100\n  concurrency: 2\n'],
  ['sglang-dsr1.yaml', '# deploy-advisor: gpu=H200 input-len=4000 output-len=2000 concurrency=512\nmodel-path: deepseek-ai/DeepSeek-R1\ntp-size: 8\nmem-fraction-static: 0.85\n'],
];

function allAnalyses(): Array<[string, Analysis]> {
  const out: Array<[string, Analysis]> = fixtureFiles().map((f) => [path.relative(root, f), analyzeFile(f)]);
  for (const [name, text] of CONSTRUCTED) out.push([name, analyze(`file:///constructed/${name}`, text, {})]);
  return out;
}

describe('every rule × fix cites evidence on the change it proposes', () => {
  // Keys: `${rule} ${changeKind(fix)}`; a failure lists the missing keys to add, each with the fix that offered it.
  const seen = new Map<string, string>();
  const runs = allAnalyses();

  it('each (rule, change) pair the rules offer is in the table and cites its family', () => {
    const missing: string[] = [];
    for (const [where, a] of runs) {
      for (const f of a.findings) {
        if (!f.fixes?.length) {
          const key = `${f.rule} (no fix)`;
          if (!(key in CITES)) {
            // Format problems and estimator checks that propose no change cite nothing.
            assert.equal(f.technique, undefined, `${where}: ${f.rule} proposes no fix yet cites ${f.technique}; add '${key}' to CITES if its message proposes that change`);
            continue;
          }
          seen.set(key, where);
          assert.equal(f.technique ?? null, CITES[key], `${where}: ${key} cites ${f.technique}`);
          continue;
        }
        for (const fix of f.fixes) {
          const kind = changeKind(fix);
          if (kind === 'rename') {
            assert.equal(fix.technique, undefined, `${where}: a rename cites ${fix.technique}`);
            continue;
          }
          const key = `${f.rule} ${kind}`;
          seen.set(key, where);
          if (!(key in CITES)) {
            missing.push(`'${key}': <family>, (offered in ${where} as "${fix.title}", cites ${fix.technique ?? 'nothing'})`);
            continue;
          }
          assert.equal(fix.technique ?? null, CITES[key], `${where}: "${fix.title}" (${key}) cites ${fix.technique ?? 'nothing'}, not ${CITES[key]}`);
          assert.equal(fix.technique, techniqueFor(fix.changes, fix.hardware), `${where}: "${fix.title}" cites a family its changes do not decide`);
        }
        // The finding's own evidence line is its first fix's.
        const lead = f.fixes.find((x) => x.technique)?.technique;
        assert.equal(f.technique, lead, `${where}: ${f.rule} cites ${f.technique}, its first fix ${lead}`);
      }
    }
    assert.deepEqual(missing, [], `rule × change pairs not in CITES (test/calibration/citations.test.ts):\n${missing.join('\n')}`);
  });

  it('the fixtures and constructed plans reach the fixes that matter', () => {
    for (const key of ['max-len-exceeds-kv maxModelLen', 'max-len-exceeds-kv kvCacheDtype', 'does-not-fit tensorParallel+gpusPerReplica', 'kv-limits-concurrency kvCacheDtype',
      'kv-limits-concurrency attentionDataParallel+dataParallel', 'tp-divisibility tensorParallel+gpusPerReplica', 'max-len-exceeds-kv kvCacheDtype+quantization', 'utilization-headroom gpuMemoryUtilization',
      'slo-miss enablePrefixCaching', 'prefix-caching-off enablePrefixCaching', 'chunked-prefill-off enableChunkedPrefill+maxNumBatchedTokens',
      'max-num-seqs-above-kv maxNumSeqs', 'kv-cache-dtype kvCacheDtype']) {
      assert.ok(seen.has(key), `no fixture or constructed plan offers ${key}; seen: ${[...seen.keys()].join(', ')}`);
    }
  });

  it('every family the table names has papers on that change, or says plainly that no seed paper measures it', () => {
    for (const fam of new Set(Object.values(CITES).filter((x): x is FamilyId => x !== null))) {
      const topics = TOPICS[fam];
      assert.ok(topics, `TOPICS has no row for ${fam}`);
      const papers = papersFor(fam);
      const line = evidenceLine(fam);
      if (!papers.length) {
        assert.match(line, /^Evidence: No seed paper measures /, `${fam}: ${line}`);
        continue;
      }
      for (const p of papers) assert.ok(p.topics.some((t) => topics.includes(t)), `${fam} lists “${p.title}”, whose topics (${p.topics.join(', ')}) are none of ${topics.join(', ')}`);
      const cited = papers.find((p) => p.title === titleOf(line));
      assert.ok(cited, `${fam}: the evidence line cites no paper of the family: ${line}`);
      if (families[fam].evidenceGap) {
        assert.match(families[fam].evidenceGap!, /^No seed paper measures /);
        assert.match(line, /^Nearest evidence: /);
      }
    }
  });

  it('the off-topic citations of issue 16 are gone', () => {
    const cites = (fam: FamilyId, title: RegExp) => papersFor(fam).some((p) => title.test(p.title));
    assert.ok(!cites('kv-quantization', /^ZipVL/), 'a video-VLM paper does not back FP8 KV');
    assert.ok(!cites('context-length', /^ZipVL/), 'nor a shorter max-model-len');
    for (const t of [/^Efficient Large-Scale Language Model Training/, /^GPipe/, /^Optimizing Distributed Training on Frontier/, /^DeepSpeed Ulysses/, /^Sequence Parallelism/]) {
      assert.ok(!cites('parallelism', t), `${t}: a training paper does not back serving TP`);
      assert.ok(cites('training-efficiency', t), `${t} stays reachable under training efficiency`);
    }
    assert.ok(!cites('prefix-caching', /^APE:/), 'parallel context encoding is not prefix caching');
    assert.ok(cites('context-encoding', /^APE:/));
  });

  it('a set of changes maps to the family of its leading change, in any order', () => {
    assert.deepEqual(techniquesFor([{ knob: 'quantization' }, { knob: 'kvCacheDtype' }]), ['weight-quantization', 'kv-quantization']);
    // Whatever order a combination lists its changes in.
    assert.equal(techniqueFor([{ knob: 'kvCacheDtype' }, { knob: 'quantization' }]), 'weight-quantization');
    assert.equal(techniqueFor([{ knob: 'gpuMemoryUtilization' }, { knob: 'maxModelLen' }]), 'context-length');
    assert.equal(techniqueFor([{ knob: 'tensorParallel' }], { gpusPerReplica: 2 }), 'parallelism');
    assert.equal(techniqueFor([], { gpu: 'L4' }), 'hardware-choice');
    assert.equal(techniqueFor([{ knob: 'maxModelLen' }]), 'context-length');
    assert.equal(techniqueFor([{ knob: 'blockSize' }]), undefined);
    assert.equal(techniqueFor([]), undefined);
  });
});
