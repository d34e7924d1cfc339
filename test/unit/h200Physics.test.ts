/**
 * The readers of the H200 device run (bench/h200Physics.ts): each CSV kind of scripts/device/h200_suite.sh becomes
 * physics rows against the latency model's own formulas, and absent files give no rows.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { summarize, TARGETS } from '../../bench/accuracy';
import { H200, h200DecodeAttentionRows, h200GemmRows, h200MachineRows, h200PhysicsRows } from '../../bench/h200Physics';
import { gemmStreamFraction } from '../../server/src/estimator/gpuPhysics';
import { attentionDecodeSeconds, denseGemmSeconds, rooflineRates } from '../../server/src/estimator/latency';

function dirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h200phys-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const GEMM = `shape,dtype,n,k,m,m_run,us,tflops,gbps,weight_bytes,copies,timing,rel_err
llama3-8b-q_o-4096x4096,bf16,4096,4096,1,1,14.5,2.3,2300,33554432,16,cudagraph,3.1e-03
llama3-8b-q_o-4096x4096,fp8,4096,4096,1,1,9.0,3.7,1870,16777216,32,cudagraph,1.2e-02
llama3-8b-q_o-4096x4096,fp8_fastaccum,4096,4096,8192,8192,190,720,500,16777216,32,cudagraph,1.2e-02
`;
const MACHINE = `what,dtype,bytes,value,unit,reps,notes
device_sm_count,,0,132,SMs,1,"NVIDIA H200; torch 2.11"
hbm_copy,bf16,4294967296,4310,GB/s,10,"dst.copy_(src) of 4096 MiB; bytes read + written"
hbm_copy_size_sweep,bf16,1048576,900,GB/s,10,"1 MiB copy"
sustained_gemm_8192cube,bf16,0,690,TFLOP/s,2000,"2000 calls over 3.0 s"
sustained_gemm_8192cube,fp8,0,1240,TFLOP/s,3000,"no fast accumulation"
sustained_gemm_8192cube,fp8_fastaccum,0,1300,TFLOP/s,3000,""
`;
const DECODE = `layout,impl,q_heads,kv_heads,qk_dim,v_dim,batch,context,us,kv_bytes,kv_gbps,copies,timing,rel_err
gqa-32q-8kv-d128,sdpa-cudnn-gqa,32,8,128,128,1,1024,7.5,4194304,559,64,cudagraph,3.0e-03
gqa-32q-8kv-d128,sdpa-flash,32,8,128,128,64,8192,600,2147483648,3579,1,cudagraph,3.0e-03
gqa-32q-8kv-d128,bmm,32,8,128,128,64,8192,540,2147483648,3977,1,cudagraph,3.5e-03
mla-16q-latent576,bmm,16,1,576,512,16,4096,40,75497472,1887,4,cudagraph,4.0e-03
`;

describe('H200 physics readers', () => {
  it('give no rows while the run has not been taken (files absent)', () => {
    assert.deepEqual(h200PhysicsRows(dirWith({})), []);
  });

  it('GEMM rows: bf16 and fast-accumulation fp8 against denseGemmSeconds on the H200, plain fp8 left out', () => {
    const rows = h200GemmRows(dirWith({ 'gemm-h200.csv': GEMM }));
    assert.deepEqual(rows.map((r) => r.metric), ['h200GemmBf16', 'h200GemmFp8']);
    const bf = rooflineRates(H200, 'bf16');
    assert.equal(rows[0].estimated, denseGemmSeconds({ k: 4096, n: 4096, bytesPerParam: 2 }, 1, bf.bw, bf.peak, gemmStreamFraction(H200)) * 1e6);
    const f8 = rooflineRates(H200, 'fp8');
    assert.equal(rows[1].estimated, denseGemmSeconds({ k: 4096, n: 4096, bytesPerParam: 1 }, 8192, f8.bw, f8.peak, gemmStreamFraction(H200)) * 1e6);
    assert.equal(rows[1].measured, 190);
    assert.ok(Math.abs(rows[1].errorPct - (100 * (rows[1].estimated - 190)) / 190) < 1e-9);
  });

  it('machine rows: the 4 GiB copy against the achievable bandwidth, sustained bf16 / fp8 fast-accum against the sustained rate', () => {
    const rows = h200MachineRows(dirWith({ 'machine-h200.csv': MACHINE }));
    assert.deepEqual(rows.map((r) => [r.metric, r.measured]), [['h200Hbm', 4310], ['h200GemmSustained', 690], ['h200GemmSustained', 1300]]);
    assert.equal(rows[0].estimated, rooflineRates(H200, 'bf16').bw / 1e9);
    assert.equal(rows[2].estimated, rooflineRates(H200, 'fp8').peak / 1e12);
  });

  it('decode attention: the fastest implementation of each engine-like point against attentionDecodeSeconds of the bytes read', () => {
    const rows = h200DecodeAttentionRows(dirWith({ 'decode-attention-h200.csv': DECODE }));
    // The MLA point (torch has no absorbed-MLA kernel) and GQA points under 64 MiB (launch floor) are left out.
    assert.equal(rows.length, 1);
    assert.match(rows[0].label, /gqa-32q-8kv-d128 B64 ctx 8192 bmm/);
    assert.equal(rows[0].measured, 540);
    assert.equal(rows[0].estimated, attentionDecodeSeconds(2147483648, rooflineRates(H200, 'bf16').bw) * 1e6);
  });

  it('are physics checks: every h200 metric is in the summary, with no target', () => {
    const metrics = Object.keys(TARGETS).filter((m) => m.startsWith('h200'));
    assert.equal(metrics.length, 8);
    for (const m of metrics) assert.equal(TARGETS[m as keyof typeof TARGETS], undefined);
    const rows = h200PhysicsRows(dirWith({ 'gemm-h200.csv': GEMM, 'machine-h200.csv': MACHINE, 'decode-attention-h200.csv': DECODE }));
    const s = summarize(rows).find((x) => x.metric === 'h200DecodeAttn')!;
    assert.equal(s.n, 1);
    assert.equal(s.met, undefined);
  });
});
