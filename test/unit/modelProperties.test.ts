/**
 * Properties every catalog model must keep whatever its family: finite counts, weights per GPU that never grow with
 * tensor parallelism, KV and state that never exceed what the pool can hold. Run over the whole offline catalog, so a
 * new family reader or catalog entry is checked the day it lands.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { catalogConfig, catalogModelIds } from '../../server/src/catalog/models';
import { estimate } from '../../server/src/estimator/estimate';
import { countParams, modelFromConfig, ModelSpec } from '../../server/src/estimator/model';
import { kvBytesPerToken, stateBytesPerRequest, tensorParallelProblem, weightBytesPerGpu, windowKvBytesPerToken } from '../../server/src/estimator/memory';
import { byDefault, DeploymentPlan, EngineName, sourced } from '../../server/src/plan/types';
import { defaultWorkload } from '../../server/src/plan/defaults';

const cli = (flag: string) => ({ kind: 'cli' as const, flag });

function readable(): Array<{ id: string; m: ModelSpec }> {
  const out: Array<{ id: string; m: ModelSpec }> = [];
  for (const id of catalogModelIds()) {
    try {
      out.push({ id, m: modelFromConfig(id, catalogConfig(id)!) });
    } catch {
      // A config the reader rejects is reported by the estimate as a model-config error (tested elsewhere).
    }
  }
  return out;
}

function plan(model: string, engine: EngineName, tp: number, gpu = 'H200'): DeploymentPlan {
  return {
    name: model,
    model: { ref: sourced(model, cli('model')) },
    hardware: { gpu: sourced(gpu, cli('gpu')), replicas: byDefault(1, '') },
    engine: { name: sourced(engine, cli('engine')) },
    knobs: { tensorParallel: sourced(tp, cli('tp')), maxModelLen: sourced(32768, cli('mml')) },
    workload: defaultWorkload(),
  };
}

const models = readable();

describe('model properties over the whole catalog', () => {
  it('reads nearly every catalog id', () => assert.ok(models.length >= catalogModelIds().length - 2, `${models.length} of ${catalogModelIds().length}`));

  it('counts are finite and positive; active ≤ total; KV, window KV and state ≥ 0', () => {
    for (const { id, m } of models) {
      const p = countParams(m);
      assert.ok(Number.isFinite(p.total) && p.total > 0, id);
      assert.ok(p.active > 0 && p.active <= p.total, `${id}: active ${p.active} > total ${p.total}`);
      assert.ok(p.encoders >= 0 && p.mtp >= 0, id);
      for (const v of [kvBytesPerToken(m, 2), windowKvBytesPerToken(m, 2), stateBytesPerRequest(m)]) assert.ok(Number.isFinite(v) && v >= 0, `${id}: ${v}`);
      assert.equal(m.attention.length, m.layers, id);
      if (m.layerParams) assert.equal(m.layerParams.length, m.layers, id);
      if (m.attention.some((a) => a.kind === 'recurrent')) assert.ok(m.recurrent, `${id}: recurrent layers without a state shape`);
    }
  });

  it('tensor parallelism never raises weights per GPU', () => {
    for (const { id, m } of models) {
      let last = Infinity;
      for (const tp of [1, 2, 4, 8]) {
        if (tensorParallelProblem(m, tp)) continue;
        const w = weightBytesPerGpu(m, m.weightFormat, { tp, pp: 1, ep: 1 });
        assert.ok(Number.isFinite(w) && w > 0, `${id} tp${tp}`);
        assert.ok(w <= last * (1 + 1e-9), `${id}: tp${tp} ${w} > ${last}`);
        last = w;
      }
    }
  });

  it('hybrid models: the KV tokens and max-length requests never exceed what the pool holds once state is paid', () => {
    const hybrids = models.filter(({ m }) => m.recurrent);
    for (const { id } of hybrids) {
      for (const engine of ['vllm', 'sglang'] as const) {
        for (const tp of [1, 8]) {
          const r = estimate(plan(id, engine, tp));
          if (!r.ok) continue;
          const mem = r.estimate.memory;
          if (!mem.fits) continue;
          const pool = mem.components.filter((c) => c.budget === 'pool').reduce((s, c) => s + c.bytesPerGpu, 0);
          const kvPerToken = mem.kvBytesPerTokenPerGpu;
          // Free memory ÷ (KV + state): neither the token count nor the concurrency may claim more.
          assert.ok(mem.kvCapacityTokens * kvPerToken <= pool * (1 + 1e-9), `${id} ${engine} tp${tp}: ${mem.kvCapacityTokens} tokens × ${kvPerToken} B > pool ${pool}`);
          const perRequest = mem.kvBytesPerMaxLenRequest + (engine === 'vllm' ? 0 : mem.stateBytesPerRequestPerGpu);
          assert.ok(mem.maxConcurrency * perRequest <= pool * (1 + 1e-6), `${id} ${engine} tp${tp}: ${mem.maxConcurrency} × ${perRequest} > ${pool}`);
          assert.ok(mem.stateBytesPerRequestPerGpu > 0, `${id} ${engine}: no state per request`);
        }
      }
    }
  });
});
