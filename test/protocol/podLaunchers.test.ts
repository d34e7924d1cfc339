/**
 * The pod checks on launchers that build the pod (production-stack and llm-d Helm values, KServe ServingRuntime +
 * InferenceService pairs, NIMService, Dynamo) over real LSP messages: each finding on its real-world file, its quick
 * fix applied as the client applies it, the file re-diagnosed with the finding gone, and the fixed file re-parsed with
 * the structure its consumer needs (the chart's own keys; a volume per mount in the object KServe merges it from).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { fixture } from '../support/paths';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';

interface CodeAction { title: string; kind: string; isPreferred?: boolean; diagnostics?: Diagnostic[]; edit: { changes: Record<string, TextEdit[]> } }
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every /dev/shm mount of `container` names a Memory emptyDir among `volumes`, volume names unique. */
function assertShmIn(container: Obj, volumes: Obj[], size: string): void {
  const mount = (container.volumeMounts as Obj[] | undefined)?.find((m) => m.mountPath === '/dev/shm');
  assert.ok(mount, 'nothing mounted at /dev/shm');
  const vol = volumes.find((v) => v.name === mount.name);
  assert.ok(vol, `no volume ${mount.name}`);
  assert.deepEqual(vol.emptyDir, { medium: 'Memory', sizeLimit: size });
  assert.equal(new Set(volumes.map((v) => v.name)).size, volumes.length, 'volume names unique');
}

describe('pod findings and fixes on Helm values and operator resources over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  /** The `code` diagnostic on `line` (0-based) and its quick fixes. */
  async function fixesFor(uri: string, code: string, line: number): Promise<{ d: Diagnostic; actions: CodeAction[] }> {
    const diags = await lsp.diagnostics(uri);
    const d = diags.find((x) => x.code === code && x.range.start.line === line);
    assert.ok(d, `expected ${code} on line ${line}, got ${JSON.stringify(diags.map((x) => [x.code, x.range.start.line]))}`);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    return { d, actions: actions.filter((a) => a.diagnostics?.some((y) => y.code === code) ?? true) };
  }

  /** Applies `a`, re-diagnoses, checks the finding on `line` is gone and the YAML parses; restores the file. */
  async function applyAndCheck(uri: string, a: CodeAction, code: string, line: number): Promise<string> {
    const original = lsp.text(uri);
    const fixed = applyEdits(original, a.edit.changes[uri]);
    for (const doc of parseAllDocuments(fixed)) assert.deepEqual(doc.errors.map((e) => e.message), [], `"${a.title}" broke the YAML:\n${fixed}`);
    await lsp.change(uri, fixed);
    const afterDiags = await lsp.diagnostics(uri);
    assert.ok(!afterDiags.some((x) => x.code === code && x.range.start.line === line), `"${a.title}" did not clear ${code}: ${JSON.stringify(afterDiags.map((x) => [x.code, x.message]))}`);
    assert.ok(!afterDiags.some((x) => ['syntax', 'invalid-value', 'unknown-key', 'duplicate-key', 'gpu-count-mismatch'].includes(String(x.code))), JSON.stringify(afterDiags.map((x) => x.code)));
    await lsp.change(uri, original);
    await lsp.diagnostics(uri);
    return fixed;
  }

  it('production-stack, TP in extraArgs: the chart mounts no shm; the fix moves TP to vllmConfig.tensorParallelSize', async () => {
    const uri = lsp.open(fixture('helm', 'production-stack-pod.yaml'));
    const { d, actions } = await fixesFor(uri, 'shm-too-small', 6);
    assert.equal(d.severity, 1);
    assert.match(d.message, /the chart mounts its shm emptyDir only when vllmConfig sets tensorParallelSize, and this entry does not, but TP 4 × PP 1 runs 4 GPUs/);
    assert.equal(actions[0].title, 'Set vllmConfig.tensorParallelSize: 4, which makes the chart mount its /dev/shm emptyDir (shmSize 20 GiB)');
    const fixed = await applyAndCheck(uri, actions[0], 'shm-too-small', 6);
    const cfg = parse(fixed).servingEngineSpec.modelSpec[0].vllmConfig;
    assert.equal(cfg.tensorParallelSize, 4);
    assert.deepEqual(cfg.extraArgs, ['--disable-log-requests']);
  });

  it('production-stack shmSize below vLLM\'s broadcast ring: raised in place', async () => {
    const uri = lsp.open(fixture('helm', 'production-stack-pod.yaml'));
    const { d, actions } = await fixesFor(uri, 'shm-too-small', 37);
    assert.match(d.message, /shmSize is 128 MiB, but TP 2 × PP 1 runs 2 GPUs/);
    assert.equal(actions[0].title, 'Set shmSize: 2 GiB');
    const fixed = await applyAndCheck(uri, actions[0], 'shm-too-small', 37);
    assert.equal(parse(fixed).servingEngineSpec.modelSpec[1].shmSize, '2Gi');
  });

  it('production-stack limitMemory below the host KV tier: raised, requestMemory kept', async () => {
    const uri = lsp.open(fixture('helm', 'production-stack-pod.yaml'));
    const { d, actions } = await fixesFor(uri, 'host-memory-limit', 35);
    assert.match(d.message, /Memory limit 48\.0 GiB is below the 66\.9 GiB .*host KV tier 64\.0 GiB/);
    const fixed = await applyAndCheck(uri, actions[0], 'host-memory-limit', 35);
    const spec = parse(fixed).servingEngineSpec.modelSpec[1];
    assert.deepEqual([spec.limitMemory, spec.requestMemory], ['81Gi', '32Gi']);
  });

  it('production-stack startup probe shared by the models, over the chart\'s initialDelaySeconds: failureThreshold raised in place', async () => {
    const uri = lsp.open(fixture('helm', 'production-stack-pod.yaml'));
    const { d, actions } = await fixesFor(uri, 'probe-before-load', 50);
    assert.match(d.message, /startupProbe gives up after 75 s \(initialDelaySeconds 15 \(chart default\) \+ failureThreshold 6 × periodSeconds 10\)/);
    const fixed = await applyAndCheck(uri, actions[0], 'probe-before-load', 50);
    assert.equal(parse(fixed).servingEngineSpec.startupProbe.failureThreshold, 9);
  });

  it('production-stack lmcacheConfig: LMCache\'s 20 GB CPU buffer above limitMemory; the fix raises it', async () => {
    const uri = lsp.open(fixture('helm', 'production-stack-lmcache.yaml'));
    const { d, actions } = await fixesFor(uri, 'host-memory-limit', 12);
    assert.match(d.message, /LMCache local CPU backend: max_local_cpu_size 20\.0 GB per worker/);
    const fixed = await applyAndCheck(uri, actions[0], 'host-memory-limit', 12);
    assert.equal(parse(fixed).servingEngineSpec.modelSpec[0].limitMemory, '26Gi');
  });

  it('llm-d values: the decode role gets a Memory emptyDir in its volumes and the mount in its container', async () => {
    const uri = lsp.open(fixture('helm', 'llm-d-values.yaml'));
    const { actions } = await fixesFor(uri, 'shm-too-small', 18);
    assert.equal(actions[0].title, 'Mount a 2 GiB medium: Memory emptyDir at /dev/shm');
    const fixed = await applyAndCheck(uri, actions[0], 'shm-too-small', 18);
    const decode = parse(fixed).decode;
    assertShmIn(decode.containers[0], decode.volumes, '2Gi');
  });

  it('KServe pair: the shm volume goes into the runtime, the memory limit stays in the InferenceService, the probe in the runtime', async () => {
    const uri = lsp.open(fixture('kserve', 'vllm-runtime-tp4-pod.yaml'));
    const shm = await fixesFor(uri, 'shm-too-small', 59);
    assert.match(shm.d.message, /no medium: Memory emptyDir is mounted at \/dev\/shm, but TP 4 × PP 1 runs 4 GPUs/);
    const withShm = await applyAndCheck(uri, shm.actions[0], 'shm-too-small', 59);
    const [rt, isvc] = parseAllDocuments(withShm).map((x) => x.toJS() as Obj);
    assertShmIn(rt.spec.containers[0], rt.spec.volumes, '2Gi');
    assert.equal(isvc.spec.predictor.volumes, undefined);
    const mem = await fixesFor(uri, 'host-memory-limit', 74);
    assert.equal(mem.d.severity, 1, 'the host KV tier is pinned at startup');
    const withMem = await applyAndCheck(uri, mem.actions[0], 'host-memory-limit', 74);
    assert.equal((parseAllDocuments(withMem)[1].toJS() as Obj).spec.predictor.model.resources.limits.memory, '159Gi');
    const probe = await fixesFor(uri, 'probe-before-load', 39);
    const withProbe = await applyAndCheck(uri, probe.actions[0], 'probe-before-load', 39);
    assert.equal((parseAllDocuments(withProbe)[0].toJS() as Obj).spec.containers[0].startupProbe.failureThreshold, 11);
  });

  it('KServe pair: a liveness probe merged field by field is fixed where its failureThreshold is written (the predictor); the runtime\'s sizeLimit raised', async () => {
    const uri = lsp.open(fixture('kserve', 'vllm-runtime-shm-liveness.yaml'));
    const probe = await fixesFor(uri, 'probe-before-load', 45);
    assert.match(probe.d.message, /livenessProbe gives up after 60 s \(initialDelaySeconds 30 \+ failureThreshold 3 × periodSeconds 10\)/);
    const fixed = await applyAndCheck(uri, probe.actions[0], 'probe-before-load', 45);
    const [rt, isvc] = parseAllDocuments(fixed).map((x) => x.toJS() as Obj);
    assert.equal(isvc.spec.predictor.model.livenessProbe.failureThreshold, 7);
    assert.equal(rt.spec.containers[0].livenessProbe.failureThreshold, undefined);
    const shm = await fixesFor(uri, 'shm-too-small', 29);
    const withShm = await applyAndCheck(uri, shm.actions[0], 'shm-too-small', 29);
    const rt2 = parseAllDocuments(withShm)[0].toJS() as Obj;
    assertShmIn(rt2.spec.containers[0], rt2.spec.volumes, '2048Mi');
  });

  it('NIMService: the written startupProbe.probe is checked and fixed; no /dev/shm finding (the operator mounts it)', async () => {
    const uri = lsp.open(fixture('nim', 'nimservice-70b-probe.yaml'));
    const diags = await lsp.diagnostics(uri);
    assert.ok(!diags.some((x) => x.code === 'shm-too-small'));
    const { actions } = await fixesFor(uri, 'probe-before-load', 33);
    const fixed = await applyAndCheck(uri, actions[0], 'probe-before-load', 33);
    assert.deepEqual(parse(fixed).spec.startupProbe.probe, { httpGet: { path: '/v1/health/ready', port: 'api' }, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 12 });
  });

  it('Dynamo: the service\'s memory limit below SGLang\'s host cache, and a short mainContainer startupProbe', async () => {
    const uri = lsp.open(fixture('dynamo', 'sglang-hicache-pod.yaml'));
    const mem = await fixesFor(uri, 'host-memory-limit', 25);
    assert.match(mem.d.message, /SGLang hierarchical cache: --hicache-size 40 GB per rank/);
    const withMem = await applyAndCheck(uri, mem.actions[0], 'host-memory-limit', 25);
    const svc = parse(withMem).spec.services.decode;
    assert.deepEqual(svc.resources, { requests: { cpu: '16', memory: '48Gi' }, limits: { gpu: '2', memory: '93Gi' } });
    const probe = await fixesFor(uri, 'probe-before-load', 52);
    const withProbe = await applyAndCheck(uri, probe.actions[0], 'probe-before-load', 52);
    assert.equal(parse(withProbe).spec.services.decode.extraPodSpec.mainContainer.startupProbe.failureThreshold, 10);
  });
});
