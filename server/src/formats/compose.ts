/** docker-compose services that run an engine: `command` (string or list), `environment`, GPU reservations. */
import { isMap, isScalar, isSeq, Node } from 'yaml';
import { sourced } from '../plan/types';
import type { DeploymentPlan, HardwareSites, SourceRange, Sourced } from '../plan/types';
import { argv, engineFromImage } from './commandLine';
import { applyDirective, findDirective } from './directive';
import { entries, ParsedDocument, rangeOf } from './document';
import type { OptionEntry } from './engineOptions';
import { containerLaunch, launchOptions } from './launch';
import { planFromOptions } from './planBuilder';
import type { FormatProblem, FormatReader, ReadContext } from './types';
import { markSharedDirective } from './kubernetes';
import { launchWriteBack, stringSites } from './writeBack';
import { imageFacts } from './imageTag';
import { composePod } from './podSpec';

const get = (node: unknown, path: Array<string | number>): unknown =>
  path.reduce<unknown>((n, p) => (typeof p === 'number' ? (isSeq(n) ? n.items[p] : undefined) : isMap(n) ? n.get(p, true) : undefined), node);
const str = (n: unknown) => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined);

/** `environment:` as a mapping or a list of `KEY=value` strings. */
function environment(doc: ParsedDocument, env: unknown): OptionEntry[] {
  if (isMap(env)) return entries(env).map((e) => ({ key: e.key, value: e.value === null ? '' : String(e.value), keyRange: rangeOf(doc, e.keyNode), valueRange: rangeOf(doc, (e.valueNode ?? e.keyNode) as Node) }));
  if (isSeq(env)) {
    return env.items.flatMap((item) => {
      const s = str(item);
      const eq = s?.indexOf('=') ?? -1;
      return s && eq > 0 ? [{ key: s.slice(0, eq), value: s.slice(eq + 1), keyRange: rangeOf(doc, item as Node), valueRange: rangeOf(doc, item as Node) }] : [];
    });
  }
  return [];
}

/** `deploy.resources.reservations.devices[].count` (a number or `all`) or its `device_ids` list, for GPU drivers. */
function gpuCount(doc: ParsedDocument, service: unknown): { count: Sourced<number>; site: HardwareSites['gpuCount'][number] } | undefined {
  const devices = get(service, ['deploy', 'resources', 'reservations', 'devices']);
  for (const d of isSeq(devices) ? devices.items : []) {
    const caps = get(d, ['capabilities']);
    const isGpu = str(get(d, ['driver'])) === 'nvidia' || (isSeq(caps) && caps.items.some((c) => str(c) === 'gpu'));
    if (!isGpu) continue;
    const count = get(d, ['count']);
    const ids = get(d, ['device_ids']);
    if (str(count) && Number.isFinite(Number(str(count)))) {
      const range = rangeOf(doc, count as Node);
      return { count: sourced(Number(str(count)), { kind: 'file', range, key: 'count' }), site: { range, form: 'number' } };
    }
    if (isSeq(ids)) {
      const range = rangeOf(doc, ids as Node);
      return { count: sourced(ids.items.length, { kind: 'file', range, key: 'device_ids' }), site: { range, form: 'deviceIds' } };
    }
  }
  return undefined;
}

export const composeReader: FormatReader = {
  name: 'compose',
  detect(doc) {
    const services = get(doc.docs[0]?.contents, ['services']);
    return isMap(services) && entries(services).some((e) => {
      const image = str(get(e.valueNode, ['image']));
      return !!image && !!engineFromImage(image);
    });
  },
  read(doc, ctx: ReadContext) {
    const plans: DeploymentPlan[] = [];
    const problems: FormatProblem[] = [];
    for (const e of entries(get(doc.docs[0].contents, ['services']))) {
      const service = e.valueNode;
      const image = str(get(service, ['image']));
      if (!image || !engineFromImage(image)) continue;
      const env = environment(doc, get(service, ['environment']));
      const tokens = argv(doc, get(service, ['entrypoint']), get(service, ['command']));
      const launch = containerLaunch({ name: e.key, tokens, env, image, engineHint: engineFromImage(image) });
      if (!launch) continue;
      const gpus = gpuCount(doc, service);
      const replicasNode = get(service, ['deploy', 'replicas']);
      const replicas = isScalar(replicasNode) && Number.isFinite(Number(str(replicasNode))) ? sourced(Number(str(replicasNode)), { kind: 'file' as const, range: rangeOf(doc, replicasNode as Node), key: 'deploy.replicas' }) : undefined;
      const r = planFromOptions(e.key, launchOptions(launch, env, ctx), { count: gpus?.count, replicas }, ctx, { writeBack: launchWriteBack(doc, launch, get(service, ['environment'])), image: imageFacts(doc, get(service, ['image'])) });
      // Compose selects GPUs by count or id only: no GPU type to rewrite.
      r.plan.hardwareSites = { gpuCount: gpus ? [gpus.site] : [], replicas: replicas && (replicas.source as { range: SourceRange }).range, gpuSelectors: [], selectsGpuType: false };
      r.plan.strings = stringSites(doc, doc.docs[0].contents, tokens, get(service, ['environment']));
      const pod = composePod(doc, service, e.keyNode);
      if (pod) r.plan.pod = pod;
      plans.push(r.plan);
      problems.push(...r.problems);
    }
    const directive = findDirective(doc.text);
    for (const p of plans) applyDirective(p, directive);
    markSharedDirective(plans);
    return { format: 'compose', plans, problems };
  },
};
