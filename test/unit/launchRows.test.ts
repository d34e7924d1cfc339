/** The launch-row reading of bench/launchRows.ts on hand-written rows (no ../shared needed). */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { aicGeneratorKnobs, inferencexKnobs, inferencexModel, launchSpeculative, meanLength, rowVersion, systemGpu } from '../../bench/launchRows';

const row = (o: Record<string, string>): Record<string, string> => ({
  backend: 'trtllm', backend_version: '', model_path: 'deepseek-ai/DeepSeek-R1', system: 'b200_sxm', precision: 'fp4', mode: 'agg',
  isl: '1024', osl: '1024', batch_size: '8', tp_size: '1', launch_tp: '8', launch_ep: '8', launch_dp_attention: '1 (dp=8)', launch_pp: '1',
  launch_max_model_len: '2248', launch_max_num_seqs: '16', launch_token_budget: '1152', launch_max_prefill_tokens: '', launch_chunked_prefill: 'off (not set)',
  launch_kv_cache_dtype: 'fp8', launch_mem_setting: 'free_gpu_memory_fraction=0.8', launch_prefix_caching: 'off', launch_quantization: 'default',
  launch_other_flags: 'SPECULATIVE: MTP num_nextn_predict_layers=1; moe_config.backend=CUTLASS', launch_image_version: 'nvcr.io/nvidia/tensorrt-llm/release:1.2.0rc6.post3',
  ...o,
});

describe('InferenceX launch columns → plan knobs', () => {
  it('TensorRT-LLM with DP attention and MTP: every mapped flag, max_batch_size per rank', () => {
    const k = inferencexKnobs(row({ launch_cuda_graph_max_bs: '16', launch_stream_interval: '10' }));
    assert.deepEqual(k, {
      tensorParallel: 8, pipelineParallel: 1, expertParallel: 8, maxModelLen: 2248, maxNumSeqs: 16, maxNumBatchedTokens: 1152,
      enableChunkedPrefill: false, kvCacheDtype: 'fp8', gpuMemoryUtilization: 0.8, enablePrefixCaching: false, quantization: undefined,
      speculative: { method: 'mtp', numTokens: 1 }, cudaGraphMaxBatch: 16, attentionDataParallel: true, schedulerRecvInterval: undefined,
      streamInterval: 10, postprocessWorkers: undefined,
    });
    assert.equal(inferencexKnobs(row({ launch_stream_interval: '20', launch_other_flags: 'backend=pytorch; num_postprocess_workers=4' })).postprocessWorkers, 4);
    assert.equal(inferencexKnobs(row({ launch_cuda_graph_max_bs: '' })).cudaGraphMaxBatch, undefined);
  });

  it('vLLM --async-scheduling from the other flags (the 2025 recipes); absent, the version default decides', () => {
    const flagged = inferencexKnobs(row({ backend: 'vllm', launch_dp_attention: '0', launch_ep: '1', launch_other_flags: 'async-scheduling; cuda-graph-sizes=2048' }));
    assert.equal(flagged.asyncScheduling, true);
    assert.ok(!('asyncScheduling' in inferencexKnobs(row({ backend: 'vllm', launch_dp_attention: '0', launch_ep: '1', launch_other_flags: 'max-cudagraph-capture-size=2048' }))));
  });

  it('SGLang: the chunk capped by max-prefill-tokens, defaults left to the engine, --max-running-requests server-wide under DP attention', () => {
    const k = inferencexKnobs(row({ backend: 'sglang', launch_token_budget: '32768', launch_max_prefill_tokens: 'default', launch_chunked_prefill: 'on (32768)', launch_kv_cache_dtype: 'default', launch_max_model_len: 'default', launch_quantization: 'modelopt_fp4', launch_dp_attention: '1 (dp=4)', launch_tp: '4', launch_max_num_seqs: '32', launch_other_flags: '' }));
    assert.equal(k.maxNumBatchedTokens, 16384);
    assert.equal(k.enableChunkedPrefill, true);
    assert.equal(k.kvCacheDtype, undefined);
    assert.equal(k.maxModelLen, undefined);
    assert.equal(k.quantization, 'modelopt_fp4');
    assert.equal(k.maxNumSeqs, 128);
    assert.equal(k.dataParallel, 4);
    assert.equal(k.speculative, undefined);
    const polled = inferencexKnobs(row({ backend: 'sglang', launch_dp_attention: '0', launch_other_flags: 'ep-size=8; attention-backend=trtllm_mla; data-parallel-size=1; scheduler-recv-interval=30' }));
    assert.equal(polled.schedulerRecvInterval, 30);
    // SGLang's stream interval is not modelled, so it does not reach the plan.
    assert.equal(inferencexKnobs(row({ backend: 'sglang', launch_stream_interval: '10' })).streamInterval, undefined);
  });

  it('speculative decoding as the recipes record it', () => {
    assert.deepEqual(launchSpeculative('SPECULATIVE: MTP num_nextn_predict_layers=3; x'), { method: 'mtp', numTokens: 3 });
    assert.deepEqual(launchSpeculative('SPECULATIVE: EAGLE(MTP) num-steps=2 num-draft-tokens=3 eagle-topk=1; y'), { method: 'mtp', numTokens: 2 });
    assert.equal(launchSpeculative('ep-size=8; attention-backend=trtllm_mla'), undefined);
  });

  it('the checkpoint, engine version and GPU of a row', () => {
    assert.equal(inferencexModel(row({})), 'nvidia/DeepSeek-R1-0528-FP4');
    assert.equal(inferencexModel(row({ precision: 'fp8' })), 'deepseek-ai/DeepSeek-R1-0528');
    assert.equal(inferencexModel(row({ model_path: 'openai/gpt-oss-120b' })), 'openai/gpt-oss-120b');
    assert.equal(rowVersion(row({})), '1.2.0rc6.post3');
    assert.equal(rowVersion(row({ launch_image_version: 'lmsysorg/sglang:v0.5.9-cu130' })), '0.5.9');
    assert.equal(rowVersion(row({ backend_version: '0.18.0' })), '0.18.0');
    for (const [s, id] of [['h100_sxm', 'H100-SXM'], ['h200_sxm', 'H200'], ['b200_sxm', 'B200'], ['gb200', 'GB200'], ['b300', 'B300'], ['a100_sxm', 'A100-80GB']]) assert.equal(systemGpu(s), id, s);
  });

  it('the client mean: lengths uniform in [0.8·L, L] average 0.9·L', () => {
    assert.equal(meanLength(1024, 0.8), 922);
    assert.equal(meanLength(8192, 0.8), 7373);
    assert.equal(meanLength(1000, 1), 1000);
  });
});

describe("AIConfigurator's generator rules for family-B rows (silicon-harness.md §2b)", () => {
  const r = { batch_size: '16', isl: '4000' };
  it('max_batch_size = the batch; token budget = batch + ISL + 1500 for TensorRT-LLM (unchunked) and vLLM', () => {
    assert.deepEqual(aicGeneratorKnobs(r, 'trtllm'), { maxNumSeqs: 16, maxNumBatchedTokens: 5516, enableChunkedPrefill: false, enablePrefixCaching: false, gpuMemoryUtilization: 0.8 });
    assert.deepEqual(aicGeneratorKnobs(r, 'vllm'), { maxNumSeqs: 16, maxNumBatchedTokens: 5516 });
  });
  it('SGLang: mixed chunk on from the 0.5.6.post2 template, the default chunk; the 0.5.1 runs predate the rule', () => {
    assert.deepEqual(aicGeneratorKnobs({ ...r, backend_version: '0.5.6.post2' }, 'sglang'), { maxNumSeqs: 16, mixedChunk: true });
    assert.deepEqual(aicGeneratorKnobs({ ...r, backend_version: '0.5.8.post1' }, 'sglang'), { maxNumSeqs: 16, mixedChunk: true });
    assert.deepEqual(aicGeneratorKnobs({ ...r, backend_version: '0.5.1.post1' }, 'sglang'), { maxNumSeqs: 16 });
  });
});
