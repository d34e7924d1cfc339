/**
 * Over real LSP messages, as the editor applies them: every `deployAdvisor/optimize` plan (searched over the whole
 * catalog, as Find Cheapest Plan does) and every quick fix on every Kubernetes, Compose and Helm fixture (the issue's
 * cases among them). The result parses, its argv items and env values are strings, and re-diagnosed it has no error and
 * no gpu-count-mismatch it did not have before.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { optimizeRequest, OptimizeResponse } from '../../protocol/requests';
import { nonStrings, syntaxErrors } from '../support/applyChecks';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';
import { fixture } from '../support/paths';

interface CodeAction { title: string; edit: { changes: Record<string, TextEdit[]> } }

const FILES = ['kubernetes', 'compose', 'helm'].flatMap((folder) => fs.readdirSync(fixture(folder)).filter((n) => /\.ya?ml$/.test(n)).map((n) => `${folder}/${n}`));
/** Manifests that serve no model: no plans to search. */
const NOT_SERVING = new Set(['kubernetes/nginx-not-serving.yaml']);
/** Pooling deployments: the search ranks decode cost and refuses them, saying so (optimizer/search.ts). */
const POOLING = new Set(['kubernetes/sglang-is-embedding.yaml', 'kubernetes/tei-bge-deployment.yaml', 'kubernetes/vllm-pooling-qwen3-embedding.yaml', 'compose/tei-compose.yaml', 'kubernetes/vllm-task-embed-shell.yaml']);

/** Error diagnostics and gpu-count-mismatch ones, by code. */
const serious = (d: Diagnostic[]) => new Set(d.filter((x) => x.severity === 1 || x.code === 'gpu-count-mismatch').map((x) => `${x.code}`));

describe('plans and quick fixes applied over LSP leave valid manifests', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  let plansApplied = 0;
  for (const rel of FILES) {
    it(rel, async () => {
      const uri = lsp.open(fixture(...rel.split('/')));
      const original = lsp.text(uri);
      const diags = await lsp.diagnostics(uri);
      const had = serious(diags);
      const candidates: Array<[string, TextEdit[]]> = [];
      for (const d of diags) {
        const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
        for (const a of actions) candidates.push([`${d.code} → ${a.title}`, a.edit.changes[uri]]);
      }
      const r = await lsp.request<OptimizeResponse>(optimizeRequest, { uri });
      if (POOLING.has(rel)) assert.ok(r.plans.length === 0 && r.notes.some((n) => /Pooling deployment/.test(n)), `${rel}: ${r.notes.join(' | ')}`);
      else assert.equal(r.plans.length > 0, !NOT_SERVING.has(rel), `${rel}: ${r.plans.length} plans (${r.notes.join(' | ')})`);
      for (const x of r.plans) {
        // A plan on hardware the file's selectors cannot name (a GPU GKE does not offer) has no edit, and says why.
        assert.ok(x.edit || x.noEdit, `${rel}: a plan with neither an edit nor a reason`);
        if (x.edit) candidates.push([`plan ${x.plan.gpusPerReplica} × ${x.plan.gpu} × ${x.plan.replicas} TP ${x.plan.tensorParallel}`, x.edit.changes[uri]]);
      }
      plansApplied += candidates.filter(([label]) => label.startsWith('plan')).length;
      for (const [label, edits] of candidates) {
        const fixed = applyEdits(original, edits);
        assert.deepEqual([...syntaxErrors(fixed), ...nonStrings(fixed)], [], `${rel}: ${label}\n${fixed}`);
        await lsp.change(uri, fixed);
        const added = [...serious(await lsp.diagnostics(uri))].filter((c) => !had.has(c));
        assert.deepEqual(added, [], `${rel}: ${label}\n${fixed}`);
      }
      await lsp.change(uri, original);
    });
  }
  it('applied plans on several of them', () => assert.ok(plansApplied >= 20, `only ${plansApplied} plans had an edit`));
});
