/**
 * trtllm-stream-interval-ttft: TensorRT-LLM's stream_interval without postprocess workers holds each streaming
 * response's first chunk (#18 item 4); the finding says what that costs at this load, and its fix leaves a valid file
 * that clears it.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { editsForFix } from '../../server/src/edits/apply';
import { analyze, Analysis } from '../../server/src/pipeline';
import { newProblems, syntaxErrors } from '../support/applyChecks';
import { applyEdits } from '../support/lspClient';

const RULE = 'trtllm-stream-interval-ttft';
const uri = 'file:///x/extra-llm-api-config.yaml';
const text = [
  '# trtllm-serve deepseek-ai/DeepSeek-R1-0528 --extra_llm_api_options extra-llm-api-config.yaml',
  '# deploy-advisor: gpu=H200 input-len=1024 output-len=1024 concurrency=4',
  'model: deepseek-ai/DeepSeek-R1-0528',
  'tensor_parallel_size: 8',
  'max_batch_size: 4',
  'max_num_tokens: 1152',
  'stream_interval: 10 # as the InferenceX recipe runs it',
  'kv_cache_config:',
  '  free_gpu_memory_fraction: 0.8',
  '  enable_block_reuse: false',
  '',
].join('\n');
const found = (a: Analysis) => a.findings.filter((f) => f.rule === RULE);
const ttft = (a: Analysis) => a.workloads[0].estimate!.latency.ttftMs;

describe(RULE, () => {
  const a = analyze(uri, text);

  it('says how long the first chunk waits, on the stream_interval line', () => {
    const [f] = found(a);
    assert.ok(f, `no ${RULE}: ${a.findings.map((x) => x.rule).join(', ')}`);
    assert.equal(f.severity, 'info');
    assert.match(f.message, /stream_interval 10 without num_postprocess_workers: each streaming response's first chunk leaves 9 iterations after its first token, about \d+ ms of the \d+ ms TTFT/);
    assert.equal(f.range.start.line, 6);
  });

  it('its fix writes stream_interval: 1, keeps the comment, and leaves a valid file without the finding and with a lower TTFT', () => {
    const [f] = found(a);
    const [fix] = f.fixes ?? [];
    assert.ok(fix, 'no fix');
    assert.deepEqual(fix.changes.map((c) => `${c.knob}=${c.value}`), ['streamInterval=1']);
    const edits = editsForFix(fix, a.workloads[0].plan, text);
    assert.ok(edits);
    const fixed = applyEdits(text, edits);
    assert.match(fixed, /^stream_interval: 1 # as the InferenceX recipe runs it$/m);
    assert.deepEqual(syntaxErrors(fixed), [], fixed);
    const after = analyze(uri, fixed);
    assert.deepEqual(newProblems(a, after), [], fixed);
    assert.deepEqual(found(after), []);
    assert.ok(ttft(after) < ttft(a) - 50, `${ttft(after)} vs ${ttft(a)}`);
    assert.match(fix.title, /TTFT \d+ → \d+ ms at this load/);
  });

  it('silent with postprocess workers, at stream_interval 1, and on other engines', () => {
    assert.deepEqual(found(analyze(uri, text.replace('stream_interval: 10', 'stream_interval: 10\nnum_postprocess_workers: 4'))), []);
    assert.deepEqual(found(analyze(uri, text.replace('stream_interval: 10', 'stream_interval: 1'))), []);
    const sglang = analyze('file:///x/s.yaml', '# python -m sglang.launch_server --config s.yaml\n# deploy-advisor: gpu=H200 concurrency=4\nmodel-path: Qwen/Qwen2.5-7B\nstream-interval: 10\n');
    assert.deepEqual(found(sglang), []);
  });
});
