/**
 * Applying an optimizer plan to a file must give that plan: every fixture's plans on its own GPU are applied as the
 * editor applies them (deployAdvisor/optimize's edit), the file is read again, and the estimate must run the plan's
 * layout, batch knobs and precisions with no new errors. Plans a file cannot take say why.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { GpuCatalog } from '../../server/src/catalog/gpus';
import { optimizeForDocument } from '../../server/src/lsp/optimizeRequest';
import { optimizeJob, runOptimizeJob } from '../../server/src/optimizer/forPlan';
import { analyze } from '../../server/src/pipeline';
import { applyEdits } from '../support/lspClient';
import { fixture } from '../support/paths';

const FOLDERS = ['vllm', 'sglang', 'trtllm', 'kubernetes', 'compose', 'helm', 'profile', 'equivalence'];
const catalog = new GpuCatalog();

describe('optimizer plans applied to the files they were searched for', () => {
  it('read back as the plan: layout, batch knobs, precisions, chunked prefill, DP attention; no new errors', () => {
    let applied = 0;
    let attentionDp = 0;
    const engines = new Set<string>();
    for (const folder of FOLDERS) {
      for (const name of fs.readdirSync(fixture(folder)).filter((n) => /\.ya?ml$/.test(n))) {
        const file = fixture(folder, name);
        const uri = `file://${path.resolve(file)}`;
        const text = fs.readFileSync(file, 'utf8');
        const a = analyze(uri, text);
        const w = a.workloads[0];
        if (!w?.estimate) continue;
        // The file's own GPU type: plans on another need the cluster changed, which no edit of this file does.
        const job = optimizeJob(w.plan);
        job.gpus = [catalog.find(w.estimate.hardware.gpu)!];
        const r = optimizeForDocument(uri, text, a, runOptimizeJob(job), 0);
        const errorsBefore = new Set(a.findings.filter((f) => f.severity === 'error').map((f) => f.message));
        for (const x of r.plans.slice(0, 8)) {
          const p = x.plan;
          const label = `${folder}/${name}: ${JSON.stringify(p)}`;
          if (!x.edit) {
            assert.ok(x.noEdit, `no edit and no reason: ${label}`);
            continue;
          }
          const b = analyze(uri, applyEdits(text, x.edit.changes[uri]));
          const s = b.workloads[0]?.estimate?.serving;
          assert.ok(s, `no estimate after applying ${label}`);
          assert.deepEqual(
            [s.tensorParallel, s.pipelineParallel, s.expertParallel, p.attentionDataParallel > 1 ? s.dataParallel : 1, s.maxNumSeqs, s.maxNumBatchedTokens, s.kvCacheDtype, s.weightDtype, s.chunkedPrefill],
            [p.tensorParallel, p.pipelineParallel, p.expertParallel, p.attentionDataParallel, p.maxNumSeqs, p.maxNumBatchedTokens, p.kvCacheDtype, p.weightDtype, true],
            label,
          );
          const added = b.findings.filter((f) => f.severity === 'error' && !errorsBefore.has(f.message));
          assert.deepEqual(added.map((f) => f.message), [], label);
          applied++;
          if (p.attentionDataParallel > 1) attentionDp++;
          engines.add(p.engine);
        }
      }
    }
    assert.ok(applied > 150, `only ${applied} plans applied`);
    assert.ok(attentionDp > 0, 'no DP-attention plan among them');
    assert.deepEqual([...engines].sort(), ['sglang', 'tgi', 'trtllm', 'vllm']);
  });
});
