/**
 * The best fix is offered: when no single change resolves a finding, the smallest combination that does; the
 * multi-GPU fix carries the GPU count it needs; every offered fix resolves its finding when re-estimated (with its
 * GPUs); "longest that fits" never exceeds the model's own context; the message and the fix title name one number.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { catalogModelIds } from '../../server/src/catalog/models';
import { settableMaxModelLen } from '../../server/src/estimator/memory';
import { analyze, Analysis, cachedEstimate, withChanges } from '../../server/src/pipeline';
import { combinedFixes, MAX_COMBINATION_WHAT_IFS } from '../../server/src/rules/combinedFixes';
import { fp8WeightsChange, kvFp8Change, tpUpChange } from '../../server/src/rules/fixes';
import type { Finding, FixIntent, RuleContext } from '../../server/src/rules/types';
import type { DeploymentPlan } from '../../server/src/plan/types';
import { parseText } from '../../server/src/formats/document';
import { hover } from '../../server/src/lsp/hover';
import { inlayHints } from '../../server/src/lsp/inlayHints';
import { fixture } from '../support/paths';

const L4_128K = '# deploy-advisor: gpu=L4\nmodel: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 131072\n';
const CODES = ['max-len-exceeds-kv', 'does-not-fit', 'kv-limits-concurrency'];

const vllm = (text: string) => analyze('file:///tmp/best-fix.yaml', text);
const finding = (a: Analysis, rule: string): Finding => {
  const f = a.findings.find((x) => x.rule === rule);
  assert.ok(f, `no ${rule}: ${JSON.stringify(a.findings.map((x) => x.rule))}`);
  return f;
};
const reEstimate = (plan: DeploymentPlan, fix: FixIntent) => {
  const r = cachedEstimate(withChanges(plan, fix.changes, fix.hardware));
  assert.ok(r.ok, fix.title);
  return r.estimate;
};
const ktokens = (n: number) => `${Math.round(n / 1000)}k`;

describe('the best fix for 131072 tokens on one L4', () => {
  const a = vllm(L4_128K);
  const plan = a.workloads[0].plan;
  const before = a.workloads[0].estimate!;
  const f = finding(a, 'max-len-exceeds-kv');

  it('offers FP8 weights + FP8 KV, which keeps the context, titled with its re-estimated effect', () => {
    const both = f.fixes?.find((x) => x.changes.length === 2 && x.changes.some((c) => c.knob === 'quantization' && c.value === 'fp8') && x.changes.some((c) => c.knob === 'kvCacheDtype' && c.value === 'fp8'));
    assert.ok(both, JSON.stringify(f.fixes?.map((x) => x.title)));
    const after = reEstimate(plan, both);
    assert.equal(after.serving.maxModelLen, 131072);
    assert.ok(after.memory.fits && after.memory.kvCapacityTokens >= 131072, String(after.memory.kvCapacityTokens));
    assert.equal(both.title, `Set quantization: fp8, kv-cache-dtype: fp8 — KV capacity ${ktokens(before.memory.kvCapacityTokens)} → ${ktokens(after.memory.kvCapacityTokens)} tokens, keeps the 131072-token context`);
    assert.equal(both.hardware, undefined);
  });

  it('neither FP8 change alone keeps the context (so the pair is the smallest combination)', () => {
    for (const knob of ['quantization', 'kvCacheDtype'] as const) {
      const alone = cachedEstimate(withChanges(plan, [{ knob, value: 'fp8' }]));
      assert.ok(alone.ok && alone.estimate.issues.some((i) => i.code === 'max-len-exceeds-kv'), knob);
    }
    assert.ok(!f.fixes?.some((x) => x.changes.length === 1 && (x.changes[0].knob === 'quantization' || x.changes[0].knob === 'kvCacheDtype')));
  });

  it('offers TP 2 with the GPU count it needs, titled with its effect on 2 GPUs', () => {
    const tp = f.fixes?.find((x) => x.changes.some((c) => c.knob === 'tensorParallel'));
    assert.ok(tp, JSON.stringify(f.fixes?.map((x) => x.title)));
    assert.deepEqual(tp.changes, [{ knob: 'tensorParallel', value: 2 }]);
    assert.deepEqual(tp.hardware, { gpusPerReplica: 2 });
    const after = reEstimate(plan, tp);
    assert.equal(after.hardware.count, 2);
    assert.ok(!after.issues.some((i) => i.code === 'gpu-count-mismatch'));
    assert.match(tp.title, /^Set tensor-parallel-size: 2 on 2 × L4 — /);
    assert.ok(tp.title.includes(`KV ${ktokens(before.memory.kvCapacityTokens)} → ${ktokens(after.memory.kvCapacityTokens)} tokens`), tp.title);
  });

  it('still offers the cut to the longest context that fits, first and preferred', () => {
    const cut = f.fixes![0];
    assert.equal(cut.changes[0].knob, 'maxModelLen');
    assert.equal(cut.preferred, true);
  });
});

describe('a Kubernetes manifest that states its GPU count', () => {
  const file = fixture('kubernetes', 'vllm-l4-128k-gke.yaml');
  const a = analyze(pathToFileURL(file).href, fs.readFileSync(file, 'utf8'));
  const f = finding(a, 'max-len-exceeds-kv');

  it('offers TP 2 with the hardware change instead of refusing it (nvidia.com/gpu: 1)', () => {
    const tp = f.fixes?.find((x) => x.changes.some((c) => c.knob === 'tensorParallel'));
    assert.ok(tp, JSON.stringify(f.fixes?.map((x) => x.title)));
    assert.deepEqual(tp.hardware, { gpusPerReplica: 2 });
    const after = reEstimate(a.workloads[0].plan, tp);
    assert.ok(!after.issues.some((i) => i.code === 'max-len-exceeds-kv' || i.code === 'gpu-count-mismatch'), JSON.stringify(after.issues));
  });

  it('offers the FP8 weights + FP8 KV combination too', () => {
    assert.ok(f.fixes?.some((x) => /^Set quantization: fp8, kv-cache-dtype: fp8 — KV capacity \d+k → \d+k tokens, keeps the 131072-token context$/.test(x.title)), JSON.stringify(f.fixes?.map((x) => x.title)));
  });
});

describe('a KV-limited chat on one L4 (64 clients of 4000 tokens)', () => {
  const file = fixture('vllm', 'kv-limited-chat.yaml');
  const a = analyze(pathToFileURL(file).href, fs.readFileSync(file, 'utf8'));
  const f = finding(a, 'kv-limits-concurrency');

  it('FP8 KV alone is not enough; FP8 weights + FP8 KV on the same GPU is offered before TP 2 on two', () => {
    assert.ok(!f.fixes?.some((x) => x.changes.length === 1 && x.changes[0].knob === 'kvCacheDtype'), JSON.stringify(f.fixes?.map((x) => x.title)));
    const titles = f.fixes!.map((x) => x.title);
    const pair = titles.findIndex((t) => /^Set quantization: fp8, kv-cache-dtype: fp8 — KV capacity \d+k → \d+k tokens, room for all 64 requests in flight$/.test(t));
    const tp = titles.findIndex((t) => t.startsWith('Set tensor-parallel-size: 2 on 2 × L4 — '));
    assert.ok(pair >= 0 && tp > pair, JSON.stringify(titles));
  });
});

describe('a pod that requests more GPUs than its TP uses', () => {
  it('gets the TP that uses them (TP 4 for nvidia.com/gpu: 4 at TP 1), not the next TP and a smaller pod', () => {
    const text = fs.readFileSync(fixture('kubernetes', 'vllm-l4-128k-gke.yaml'), 'utf8').replace(/nvidia\.com\/gpu: "1"/g, 'nvidia.com/gpu: "4"').replace('- "131072"', '- "131072"\n            - --tensor-parallel-size\n            - "1"');
    const a = analyze('file:///tmp/four.yaml', text);
    const tp = finding(a, 'max-len-exceeds-kv').fixes?.find((x) => x.changes.some((c) => c.knob === 'tensorParallel'));
    assert.ok(tp, JSON.stringify(a.findings.map((f) => [f.rule, f.fixes?.map((x) => x.title)])));
    assert.deepEqual(tp.changes, [{ knob: 'tensorParallel', value: 4 }]);
    assert.deepEqual(tp.hardware, { gpusPerReplica: 4 });
    const after = reEstimate(a.workloads[0].plan, tp);
    assert.ok(!after.issues.some((i) => i.code === 'gpu-count-mismatch' || i.code === 'max-len-exceeds-kv'), JSON.stringify(after.issues));
  });
});

/** Every fixture, and sampled catalog deployments that do not fit or are KV-limited. */
function cases(): Array<{ label: string; a: Analysis }> {
  const out: Array<{ label: string; a: Analysis }> = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(e.name)) out.push({ label: path.relative(fixture(), p), a: analyze(pathToFileURL(p).href, fs.readFileSync(p, 'utf8')) });
    }
  };
  walk(fixture());
  const models = catalogModelIds();
  const gpus = ['L4', 'A10G', 'L40S', 'A100-80GB', 'H100-SXM'];
  const engines = ['vllm', 'sglang'];
  // A fixed stride through model × GPU × engine × length: deterministic, and a few dozen deployments.
  for (let i = 0; i < 48; i++) {
    const model = models[(i * 7) % models.length];
    const gpu = gpus[i % gpus.length];
    const engine = engines[(i >> 1) % engines.length];
    const len = [32768, 65536, 131072][i % 3];
    const text = `# deploy-advisor: gpu=${gpu} engine=${engine} concurrency=${[8, 64][i % 2]} input-len=2000 output-len=500\nmodel: ${model}\n${engine === 'vllm' ? 'max-model-len' : 'context-length'}: ${len}\n`;
    out.push({ label: `${model} on ${gpu} (${engine}, ${len})`, a: analyze(`file:///tmp/sample-${i}.yaml`, text) });
  }
  return out;
}

describe('every offered fix resolves its finding when re-estimated (with its GPUs)', () => {
  const all = cases();
  it('for max-len-exceeds-kv, does-not-fit and kv-limits-concurrency, on every fixture and sampled deployment', () => {
    let checked = 0;
    let combos = 0;
    for (const { label, a } of all) {
      for (const f of a.findings.filter((x) => CODES.includes(x.rule) && x.workload !== undefined)) {
        const w = a.workloads[f.workload!];
        for (const fix of f.fixes ?? []) {
          const after = reEstimate(w.plan, fix);
          assert.ok(!after.issues.some((i) => i.code === f.rule), `${label}: "${fix.title}" leaves ${f.rule}`);
          assert.ok(after.memory.fits, `${label}: "${fix.title}" does not fit`);
          if (fix.hardware?.gpusPerReplica) assert.equal(after.hardware.count, fix.hardware.gpusPerReplica, `${label}: "${fix.title}"`);
          assert.ok(!after.issues.some((i) => i.code === 'gpu-count-mismatch') || w.estimate?.issues.some((i) => i.code === 'gpu-count-mismatch'), `${label}: "${fix.title}" adds a GPU-count mismatch`);
          assert.match(fix.title, /^Set .+ — .+/);
          checked++;
          if (fix.changes.length > 1 && fix.changes.some((c) => c.knob !== 'enableChunkedPrefill')) combos++;
        }
      }
    }
    assert.ok(checked >= 20, `only ${checked} fixes checked`);
    assert.ok(combos >= 2, `only ${combos} combination fixes seen`);
  });
});

describe('the combination search stays cheap', () => {
  it(`tests at most ${MAX_COMBINATION_WHAT_IFS} combinations on memory alone, and estimates in full only the ones it offers`, () => {
    const a = vllm('# deploy-advisor: gpu=L4\nmodel: Qwen/Qwen2.5-32B-Instruct\nmax-model-len: 131072\n');
    const w = a.workloads[0];
    let full = 0;
    let memory = 0;
    const ctx: RuleContext = {
      plan: w.plan,
      estimate: w.estimate!,
      whatIf(changes, hardware) {
        full++;
        const r = cachedEstimate(withChanges(w.plan, changes, hardware));
        return r.ok ? r.estimate : undefined;
      },
      memoryIf(changes, hardware) {
        memory++;
        const r = cachedEstimate(withChanges(w.plan, changes, hardware), undefined, { scope: 'memory' });
        return r.ok ? r.estimate : undefined;
      },
    };
    const candidates = [fp8WeightsChange(ctx.estimate), kvFp8Change(ctx.estimate), tpUpChange(ctx.estimate)];
    // 32B in 16 bits does not fit a 24 GB L4 however its KV is stored: the search tries everything it may.
    const offered = combinedFixes(ctx, 'does-not-fit', candidates, () => 'effect');
    assert.ok(memory > candidates.length, `the search did not run (${memory} memory what-ifs)`);
    assert.ok(memory <= MAX_COMBINATION_WHAT_IFS + candidates.length, `${memory} memory what-ifs`);
    assert.equal(full, offered.length);
  });

  it('a memory-only estimate has the full estimate\'s memory and issues, and no latency', () => {
    const plan = vllm(L4_128K).workloads[0].plan;
    const r = cachedEstimate(plan, undefined, { scope: 'memory' });
    const f = cachedEstimate(plan);
    assert.ok(r.ok && f.ok);
    assert.deepEqual(r.estimate.memory, f.estimate.memory);
    assert.deepEqual(r.estimate.issues, f.estimate.issues);
    assert.equal(r.estimate.latency.ttftMs, 0);
    assert.ok(f.estimate.latency.ttftMs > 0);
  });
});

describe('longest that fits never exceeds the model\'s own context', () => {
  it('a 131072-position model on an H100 holds more, but the longest that fits is 131072', () => {
    const e = vllm('model: meta-llama/Llama-3.1-8B-Instruct\ngpu-memory-utilization: 0.9\n').workloads[0].estimate!;
    assert.ok(e.memory.kvCapacityTokens > 131072, String(e.memory.kvCapacityTokens));
    assert.equal(e.memory.maxModelLenThatFits, 131072);
  });

  it('max-model-len above the model\'s positions: the fix sets the model\'s length and says so', () => {
    const a = vllm('model: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 524288\n');
    const f = finding(a, 'max-len-exceeds-kv');
    assert.deepEqual(f.fixes?.map((x) => x.changes), [[{ knob: 'maxModelLen', value: 131072 }]]);
    assert.match(f.fixes![0].title, /^Set max-model-len: 131072 — the model's own context length/);
    assert.match(f.message, /The model's own context length \(131072\) fits\./);
  });

  it('the hover and the inlay hint on max-model-len offer the model\'s length, not 4 × it', () => {
    const text = 'model: meta-llama/Llama-3.1-8B-Instruct\nmax-model-len: 524288\n';
    const a = vllm(text);
    const h = hover(parseText('file:///tmp/best-fix.yaml', text), a, { line: 1, character: 16 });
    const value = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    assert.match(value, /Longest that fits: 131072\./);
    const labels = inlayHints(a, { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }).map((x) => String(x.label));
    // Above the model's context the hint says so (the engine refuses that length), naming the model's 131k.
    assert.ok(labels.some((l) => l.includes('131k')) && !labels.some((l) => /524k|262k/.test(l)), JSON.stringify(labels));
  });

  it('on every catalog model × a few GPUs, longest that fits ≤ max positions', () => {
    for (const model of catalogModelIds()) {
      for (const gpu of ['L4', 'H100-SXM', 'B200']) {
        const e = vllm(`# deploy-advisor: gpu=${gpu}\nmodel: ${model}\ngpu-memory-utilization: 0.9\n`).workloads[0].estimate;
        if (e) assert.ok(e.memory.maxModelLenThatFits <= e.model.maxPositions, `${model} on ${gpu}: ${e.memory.maxModelLenThatFits} > ${e.model.maxPositions}`);
      }
    }
  });
});

describe('the message and the fix title name the same number', () => {
  const check = (a: Analysis) => {
    const f = finding(a, 'max-len-exceeds-kv');
    const e = a.workloads[f.workload!].estimate!;
    const fits = e.memory.maxModelLenThatFits;
    const set = settableMaxModelLen(fits, e.model.contextLimit);
    const cut = f.fixes!.find((x) => x.changes[0]?.knob === 'maxModelLen')!;
    assert.equal(cut.changes[0].value, set);
    assert.match(f.message, new RegExp(`that fits: ${fits}${set !== fits ? `; set ${set}` : ''}\\.`));
    assert.ok(cut.title.startsWith(`Set max-model-len: ${set} — `), cut.title);
    if (set !== fits) assert.ok(cut.title.includes(`up to ${fits}`), cut.title);
    // The inlay hint after max-model-len names the number the fix sets.
    const labels = inlayHints(a, { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } }).map((x) => String(x.label));
    assert.ok(labels.some((l) => l.includes(`fits up to ${set}`)), JSON.stringify(labels));
    return { fits, set };
  };

  it('Llama-3.1-8B at 32k on an L4: "up to 25120; set 24576"-style agreement', () => {
    const file = fixture('vllm', 'llama-8b-l4-32k.yaml');
    const { fits, set } = check(analyze(pathToFileURL(file).href, fs.readFileSync(file, 'utf8')));
    assert.ok(set < fits && set % 1024 === 0, `${fits} → ${set}`);
  });

  it('a short length below 8192 is suggested as it is', () => {
    const { fits, set } = check(vllm('# deploy-advisor: gpu=L4\nmodel: Qwen/Qwen2.5-14B-Instruct\nquantization: fp8\nmax-model-len: 32768\n'));
    assert.ok(fits <= 8192 ? set === fits : set <= fits);
  });
});
