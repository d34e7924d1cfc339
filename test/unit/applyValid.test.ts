/**
 * Advice safe to apply blindly: on every Kubernetes, Compose and Helm fixture, every offered fix and every optimizer
 * plan (searched on the file's own GPU and two others, as deployAdvisor/optimize answers it) is applied; the result
 * must parse, keep container args/command items, env values, Compose command items and Helm extraArgs strings, and
 * re-diagnose with no new error and no new gpu-count-mismatch. A plan whose hardware the file can state reads back on
 * the plan's GPU type, count and replicas; what it cannot state is said in the plan's `hardware` note.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { GpuCatalog } from '../../server/src/catalog/gpus';
import { planEdits } from '../../server/src/edits/apply';
import { optimizeForDocument } from '../../server/src/lsp/optimizeRequest';
import { optimizeJob, runOptimizeJob } from '../../server/src/optimizer/forPlan';
import { analyze, Analysis } from '../../server/src/pipeline';
import { newProblems, nonStrings, syntaxErrors } from '../support/applyChecks';
import { applyEdits } from '../support/lspClient';
import { fixture } from '../support/paths';

const catalog = new GpuCatalog();
const FILES = ['kubernetes', 'compose', 'helm'].flatMap((folder) => fs.readdirSync(fixture(folder)).filter((n) => /\.ya?ml$/.test(n)).map((n) => `${folder}/${n}`))
  .concat(['equivalence/llama-k8s.yaml', 'equivalence/llama-helm-values.yaml']);

function load(rel: string): { uri: string; text: string; a: Analysis } {
  const file = fixture(rel);
  const uri = `file://${path.resolve(file)}`;
  const text = fs.readFileSync(file, 'utf8');
  return { uri, text, a: analyze(uri, text) };
}

/** Everything wrong with `after`, relative to the analysis of the text it was made from. */
export function problemsAfter(uri: string, before: Analysis, after: string): string[] {
  return [...syntaxErrors(after).map((e) => `syntax: ${e}`), ...nonStrings(after).map((s) => `not a string: ${s}`), ...newProblems(before, analyze(uri, after))];
}

describe('applied fixes leave a valid, consistent file', () => {
  for (const rel of FILES) {
    it(rel, () => {
      const { uri, text, a } = load(rel);
      for (const f of a.findings) {
        for (const fix of f.fixes ?? []) {
          const r = planEdits(fix, a.workloads[f.workload ?? 0]?.plan, text);
          if (!('edits' in r)) continue;
          assert.deepEqual(problemsAfter(uri, a, applyEdits(text, r.edits)), [], `${rel}: ${f.rule} → ${fix.title}`);
        }
      }
    });
  }
});

describe('applied optimizer plans leave a valid file on the plan\'s hardware', () => {
  let onOtherGpu = 0;
  let hardwareWritten = 0;
  for (const rel of FILES) {
    it(rel, () => {
      const { uri, text, a } = load(rel);
      a.workloads.forEach((w, i) => {
        if (!w.estimate) return;
        const own = catalog.find(w.estimate.hardware.gpu)!;
        const job = optimizeJob(w.plan);
        job.gpus = [own, ...['H200', 'L40S'].filter((g) => g !== own.id).map((g) => catalog.find(g)!)];
        job.request = { ...job.request, limit: 6 };
        const r = optimizeForDocument(uri, text, a, runOptimizeJob(job), i);
        for (const x of r.plans) {
          const p = x.plan;
          const label = `${rel} #${i}: ${p.gpusPerReplica} × ${p.gpu} × ${p.replicas} TP ${p.tensorParallel} PP ${p.pipelineParallel}`;
          if (!x.edit) {
            assert.ok(x.noEdit, `no edit and no reason: ${label}`);
            continue;
          }
          const after = applyEdits(text, x.edit.changes[uri]);
          assert.deepEqual(problemsAfter(uri, a, after), [], `${label}\n${after}`);
          const hw = analyze(uri, after).workloads[i]?.estimate?.hardware;
          assert.ok(hw, `no estimate after ${label}`);
          if (p.gpu !== own.id) onOtherGpu++;
          if (x.hardware) {
            // A note says what is left to do: it names the part that could not be written.
            assert.match(x.hardware, /GPU|replica|instance|node|pods/, label);
            continue;
          }
          assert.deepEqual([hw.gpu, hw.count, hw.replicas], [p.gpu, p.gpusPerReplica, p.replicas], `${label}: the file reads back as another hardware\n${after}`);
          if (p.gpu !== own.id || p.gpusPerReplica !== w.estimate!.hardware.count || p.replicas !== w.estimate!.hardware.replicas) hardwareWritten++;
        }
      });
    });
  }
  it('moved some plans to another GPU and wrote their hardware', () => {
    assert.ok(onOtherGpu > 10, `only ${onOtherGpu} plans on another GPU`);
    assert.ok(hardwareWritten > 10, `only ${hardwareWritten} plans with hardware written`);
  });
});
