/**
 * The pod around the engine and offloading over real LSP messages (issue 20 items 2-3): each finding on its
 * real-world manifest (Kubernetes Deployment and StatefulSet, LeaderWorkerSet, KServe, Compose), each quick fix applied
 * as the client applies it, the file re-diagnosed and the finding gone, and the fixed file re-parsed as YAML with the
 * structure kubectl needs (a volume per mount, the emptyDir under the pod spec, request ≤ limit).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { fixture } from '../support/paths';
import { applyEdits, Diagnostic, LspClient, TextEdit } from '../support/lspClient';

interface CodeAction { title: string; kind: string; isPreferred?: boolean; diagnostics?: Diagnostic[]; edit: { changes: Record<string, TextEdit[]> } }
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const GiB = 2 ** 30;
const quantity = (q: string) => {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)?$/.exec(String(q));
  assert.ok(m, `not a quantity: ${q}`);
  return Number(m[1]) * ({ Ki: 2 ** 10, Mi: 2 ** 20, Gi: GiB, Ti: 2 ** 40 } as Record<string, number>)[m[2] ?? ''] || Number(m[1]);
};

/** Every container's /dev/shm mount names a volume of its pod spec that is a Memory emptyDir of at least `bytes`. */
function assertShmMounted(podSpec: Obj, bytes: number): void {
  for (const c of podSpec.containers as Obj[]) {
    const mount = (c.volumeMounts as Obj[] | undefined)?.find((m) => m.mountPath === '/dev/shm');
    assert.ok(mount, `container ${c.name} mounts nothing at /dev/shm`);
    const vol = (podSpec.volumes as Obj[]).find((v) => v.name === mount.name);
    assert.ok(vol, `no volume ${mount.name} in the pod spec`);
    assert.equal(vol.emptyDir.medium, 'Memory');
    assert.ok(quantity(vol.emptyDir.sizeLimit) >= bytes, `sizeLimit ${vol.emptyDir.sizeLimit}`);
    assert.equal(new Set((podSpec.volumes as Obj[]).map((v) => v.name)).size, podSpec.volumes.length, 'volume names unique');
  }
}

describe('pod and offloading findings and fixes over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  async function fixesFor(uri: string, code: string): Promise<{ d: Diagnostic; actions: CodeAction[] }> {
    const diags = await lsp.diagnostics(uri);
    const d = diags.find((x) => x.code === code);
    assert.ok(d, `expected ${code}, got ${diags.map((x) => x.code).join(', ')}`);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    return { d, actions: actions.filter((a) => a.diagnostics?.some((y) => y.code === code) ?? true) };
  }

  /** Applies `a`, re-diagnoses, checks `code` is gone and the file parses without YAML errors; restores the file. */
  async function applyAndCheck(uri: string, a: CodeAction, code: string): Promise<string> {
    const original = lsp.text(uri);
    const fixed = applyEdits(original, a.edit.changes[uri]);
    for (const doc of parseAllDocuments(fixed)) assert.deepEqual(doc.errors.map((e) => e.message), [], `"${a.title}" broke the YAML:\n${fixed}`);
    await lsp.change(uri, fixed);
    const afterDiags = await lsp.diagnostics(uri);
    assert.ok(!afterDiags.some((x) => x.code === code), `"${a.title}" did not clear ${code}: ${JSON.stringify(afterDiags.map((x) => [x.code, x.message]))}`);
    assert.ok(!afterDiags.some((x) => x.code === 'syntax' || x.code === 'invalid-value' || x.code === 'unknown-key'), JSON.stringify(afterDiags.map((x) => x.code)));
    await lsp.change(uri, original);
    await lsp.diagnostics(uri);
    return fixed;
  }

  it('shm-too-small (Deployment, no volumes at all): the fix opens volumeMounts and volumes with a 2Gi Memory emptyDir, block style', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-tp4-no-shm-probes.yaml'));
    const { d, actions } = await fixesFor(uri, 'shm-too-small');
    assert.equal(d.severity, 1);
    assert.equal(d.range.start.line, 20);
    assert.match(d.message, /64 MiB container default.*TP 4 × PP 1 runs 4 GPUs.*at least 240 MiB \(vLLM's engine→worker broadcast ring, 10 × 24 MiB.*2 GiB is the recommended size \(PyTorch CI --shm-size=2gb/);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, 'Mount a 2 GiB medium: Memory emptyDir at /dev/shm');
    const fixed = await applyAndCheck(uri, actions[0], 'shm-too-small');
    const lines = fixed.split('\n');
    const at = lines.indexOf('          volumeMounts:');
    assert.deepEqual(lines.slice(at, at + 8), [
      '          volumeMounts:', '            - name: dshm', '              mountPath: /dev/shm',
      '      volumes:', '        - name: dshm', '          emptyDir:', '            medium: Memory', '            sizeLimit: 2Gi',
    ]);
    assertShmMounted(parse(fixed).spec.template.spec, 2 * GiB);
  });

  it('shm-too-small (StatefulSet, 64Mi emptyDir, quoted values, zero-indented lists): the fix raises sizeLimit in place, quoted', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-offload-statefulset.yaml'));
    const { d, actions } = await fixesFor(uri, 'shm-too-small');
    assert.equal(d.range.start.line, 51);
    assert.match(d.message, /sizeLimit 64 MiB/);
    const fixed = await applyAndCheck(uri, actions[0], 'shm-too-small');
    assert.equal(fixed.split('\n')[51], '          sizeLimit: "2Gi"');
    assertShmMounted(parse(fixed).spec.template.spec, 2 * GiB);
  });

  it('shm-too-small (LeaderWorkerSet): leader and worker templates each get the emptyDir and its mount', async () => {
    const uri = lsp.open(fixture('kubernetes', 'lws-vllm-multinode.yaml'));
    const { d, actions } = await fixesFor(uri, 'shm-too-small');
    assert.match(d.message, /leader and worker templates.*TP 8 × PP 2 runs 8 GPUs in this pod/);
    const fixed = await applyAndCheck(uri, actions[0], 'shm-too-small');
    const lws = parse(fixed).spec.leaderWorkerTemplate;
    assertShmMounted(lws.leaderTemplate.spec, 2 * GiB);
    assertShmMounted(lws.workerTemplate.spec, 2 * GiB);
    assert.equal(lws.size, 2);
  });

  it('shm-too-small (Compose, no shm_size): the fix adds shm_size to the service; ipc: host needs none', async () => {
    const uri = lsp.open(fixture('compose', 'vllm-lmcache-compose.yaml'));
    const { d, actions } = await fixesFor(uri, 'shm-too-small');
    assert.equal(d.range.start.line, 3);
    assert.match(d.message, /Docker's 64 MiB default.*runs 2 GPUs in this container/);
    const fixed = await applyAndCheck(uri, actions[0], 'shm-too-small');
    assert.equal(parse(fixed).services.vllm.shm_size, '2g');
    const host = lsp.open(fixture('compose', 'vllm-compose.yaml'));
    assert.ok(!(await lsp.diagnostics(host)).some((x) => x.code === 'shm-too-small'));
  });

  it('cpu-offload-unneeded: the weights fit on two H200s; the fix removes --cpu-offload-gb and its value from the args list', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-offload-statefulset.yaml'));
    const { d, actions } = await fixesFor(uri, 'cpu-offload-unneeded');
    assert.equal(d.severity, 2);
    assert.equal(d.range.start.line, 28);
    assert.match(d.message, /cpu-offload-gb 16: the weights \(30\.5 GiB per GPU\) fit without offloading, yet every forward step reads the 16\.0 GiB .* PCIe Gen5 x16 64 GB\/s .* \+33\d\.\d ms per step\. TPOT \d+\.\d ms with it, \d+\.\d ms without/);
    assert.match(actions[0].title, /^Remove cpu-offload-gb — TPOT \d+\.\d → \d+\.\d ms, 32\.0 GiB less host RAM$/);
    const fixed = await applyAndCheck(uri, actions[0], 'cpu-offload-unneeded');
    const args: string[] = parse(fixed).spec.template.spec.containers[0].args;
    assert.ok(!args.includes('--cpu-offload-gb') && !args.includes('16'), JSON.stringify(args));
    assert.deepEqual(args.slice(-4), ['--kv-offloading-size', '64', '--kv-offloading-backend', 'native']);
  });

  it('host-memory-limit (StatefulSet): CPU offload 32 GiB + native KV tier 64 GiB + processes above 48Gi; the fix raises the limit, the request stays ≤ it', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-offload-statefulset.yaml'));
    const { d, actions } = await fixesFor(uri, 'host-memory-limit');
    assert.equal(d.severity, 1);
    assert.equal(d.range.start.line, 36);
    assert.match(d.message, /Memory limit 48\.0 GiB is below the 98\.9 GiB .*CPU weight offload 32\.0 GiB .*host KV tier 64\.0 GiB \(262,144 tokens\) .*engine processes \(lower bound\) 2\.9 GiB .*OOM-killed before it serves/);
    assert.equal(actions[0].title, 'Raise the memory limit to 119.0 GiB (the tiers + 20 % headroom)');
    const fixed = await applyAndCheck(uri, actions[0], 'host-memory-limit');
    const res = parse(fixed).spec.template.spec.containers[0].resources;
    assert.equal(res.limits.memory, '119Gi');
    assert.ok(quantity(res.requests.memory) <= quantity(res.limits.memory));
  });

  it('host-memory-limit (Compose + LMCache env): 40 GB CPU tier per worker × 2 workers above 48g; the disk tier is counted in tokens only', async () => {
    const uri = lsp.open(fixture('compose', 'vllm-lmcache-compose.yaml'));
    const { d, actions } = await fixesFor(uri, 'host-memory-limit');
    assert.equal(d.range.start.line, 26);
    assert.match(d.message, /host KV tier 80\.0 GiB \(655,360 tokens\) — LMCache local CPU backend: max_local_cpu_size 40\.0 GB per worker × 2 workers, 256-token chunks.*disk tier holds 3,276,800 more tokens/);
    const fixed = await applyAndCheck(uri, actions[0], 'host-memory-limit');
    assert.equal(parse(fixed).services.vllm.deploy.resources.limits.memory, '100g');
  });

  it('host-memory-limit (KServe + SGLang HiCache): 3 × the device pool on each rank; hostIPC needs no /dev/shm volume', async () => {
    const uri = lsp.open(fixture('kubernetes', 'sglang-hicache-kserve.yaml'));
    const { d, actions } = await fixesFor(uri, 'host-memory-limit');
    assert.equal(d.range.start.line, 30);
    assert.match(d.message, /SGLang hierarchical cache: --hicache-ratio 3 × the device pool's \d+ tokens/);
    const diags = await lsp.diagnostics(uri);
    assert.ok(!diags.some((x) => x.code === 'shm-too-small'));
    const fixed = await applyAndCheck(uri, actions[0], 'host-memory-limit');
    const res = parse(fixed).spec.predictor.containers[0].resources;
    assert.ok(quantity(res.limits.memory) > 200 * GiB && quantity(res.requests.memory) <= quantity(res.limits.memory));
  });

  it('probe-before-load: the startup probe gives up after 60 s; the fix raises failureThreshold in place to the load time', async () => {
    const uri = lsp.open(fixture('kubernetes', 'vllm-tp4-no-shm-probes.yaml'));
    const { d, actions } = await fixesFor(uri, 'probe-before-load');
    assert.equal(d.range.start.line, 49);
    assert.match(d.message, /startupProbe gives up after 60 s .* needs about \d+ s before it serves: 32 s boot \+ \d+\.\d GiB per GPU at 0\.78 GiB\/s/);
    assert.match(actions[0].title, /^Set startupProbe\.failureThreshold: (\d+) — waits \d+ s$/);
    const fixed = await applyAndCheck(uri, actions[0], 'probe-before-load');
    const probe = parse(fixed).spec.template.spec.containers[0].startupProbe;
    assert.ok(probe.failureThreshold * probe.periodSeconds >= 90, JSON.stringify(probe));
  });

  it('probe-before-load (liveness without a startup probe, KServe): the fix adds failureThreshold to the probe', async () => {
    const uri = lsp.open(fixture('kubernetes', 'sglang-hicache-kserve.yaml'));
    const { d, actions } = await fixesFor(uri, 'probe-before-load');
    assert.match(d.message, /livenessProbe gives up after 60 s \(initialDelaySeconds 30 \+ failureThreshold 3 × periodSeconds 10\).*startupProbe on \/v1\/models/);
    const fixed = await applyAndCheck(uri, actions[0], 'probe-before-load');
    const probe = parse(fixed).spec.predictor.containers[0].livenessProbe;
    assert.ok(probe.initialDelaySeconds + probe.failureThreshold * probe.periodSeconds >= 90, JSON.stringify(probe));
    assert.equal(probe.httpGet.path, '/health');
  });
});
