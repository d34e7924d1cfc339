/** <file> → plans: a file, a folder or a model id (catalog or, with --hub, the Hub), and the estimator deps the flags ask for. */
import { fileHead } from '../node/fileHead';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalogConfig } from '../catalog/models';
import { localAdapterLoader, localModelLoader } from '../node/localModels';
import { envToken, HubConfigStore } from '../node/hub';
import { isLocalPath } from '../formats/engineOptions';
import { findSideProfile } from '../node/sideProfile';
import { RepoConfigStore } from '../node/repoConfig';
import { readText } from '../formats';
import type { ReadResult } from '../formats/types';
import { DeploymentPlan, sourced } from '../plan/types';
import { defaultWorkload } from '../plan/defaults';
import { loadGpuOverrides } from '../node/gpuOverrides';
import { defaultDeps, EstimatorDeps } from '../estimator/estimate';
import { Flags, UsageError } from './options';

const MAX_CONFIG_BYTES = 64 * 1024 * 1024;


/** Resolves <file>: a file, a folder with config.json, or a catalog model id. */
function load(target: string): { uri: string; text: string; baseDir: string } | { catalogId: string } {
  if (fs.existsSync(target)) {
    const st = fs.statSync(target);
    const file = st.isDirectory() ? path.join(target, 'config.json') : target;
    if (!fs.existsSync(file)) throw new UsageError(`${target} is a folder without a config.json`);
    const size = fs.statSync(file).size;
    const uri = pathToFileURL(path.resolve(file)).href;
    // An engine log can be any size: its startup is at the head (formats/logs/lines.ts reads a bounded part of it).
    if (size > MAX_CONFIG_BYTES && /\.(log|txt|out)$/i.test(file)) return { uri, text: fileHead(file, MAX_CONFIG_BYTES), baseDir: path.dirname(path.resolve(file)) };
    if (size > MAX_CONFIG_BYTES) throw new UsageError(`${file} is ${(size / 2 ** 20).toFixed(0)} MiB; too large to be a config`);
    return { uri, text: fs.readFileSync(file, 'utf8'), baseDir: path.dirname(path.resolve(file)) };
  }
  if (catalogConfig(target) || hub?.lookup(target)) return { catalogId: target };
  throw new UsageError(`${target}: no such file, folder, or catalog model id${hub ? ' (nor a Hub model id)' : ' (--hub looks model ids up on the Hugging Face Hub)'}`);
}

function catalogRead(id: string): ReadResult {
  const plan: DeploymentPlan = {
    name: id,
    model: { ref: sourced(id, { kind: 'cli', flag: 'model id' }) },
    hardware: { gpu: sourced('H100-SXM', { kind: 'default', note: 'GPU H100 SXM (default)' }), replicas: sourced(1, { kind: 'default', note: 'one replica' }) },
    engine: { name: sourced('vllm', { kind: 'default', note: 'engine vLLM (default)' }) },
    knobs: {},
    workload: defaultWorkload(),
  };
  return { format: 'hf-config', plans: [plan], problems: [] };
}

/** The Hub lookup, when --hub asks for it (the CLI's opt-in, as the editor's is deployAdvisor.hub.enabled). */
let hub: HubConfigStore | undefined;

export function depsFrom(flags: Flags): EstimatorDeps {
  const file = flags.get('gpus-file');
  if (typeof file !== 'string') return { gpus: defaultDeps.gpus, models: hub };
  const o = loadGpuOverrides(file);
  if (o.problems.length) throw new UsageError(`--gpus-file: ${o.problems.join('; ')}`);
  return { gpus: o.catalog, models: hub };
}

/** Fetches (or finds in the disk cache) every model the target names that the catalog lacks, before estimating. */
export async function prefetch(target: string): Promise<void> {
  const cacheRoot = process.env.DEPLOY_ADVISOR_CACHE ?? path.join(os.homedir(), '.cache', 'deploy-advisor');
  hub = new HubConfigStore({ cacheDir: path.join(cacheRoot, 'hub'), token: async () => envToken() });
  const ids = fs.existsSync(target) ? readTarget(target).plans.filter((p) => !p.model.config).map((p) => p.model.ref.value) : [target];
  await Promise.all(ids.filter((id) => !catalogConfig(id) && !isLocalPath(id)).map((id) => hub!.settle(id)));
}

/** <file> → plans, as both `estimate` and `optimize` read it. */
export function readTarget(target: string): ReadResult {
  const src = load(target);
  let read: ReadResult;
  if ('catalogId' in src) {
    read = catalogRead(src.catalogId);
  } else {
    const file = path.join(src.baseDir, path.basename(new URL(src.uri).pathname));
    read = readText(src.uri, src.text, { loadLocalConfig: localModelLoader(src.baseDir), loadLocalAdapter: localAdapterLoader(src.baseDir), sideProfile: findSideProfile(file) });
    if (read.format === 'deploy-advisor-config') throw new UsageError(`${target}: the repository's Deploy Advisor settings, not a deployment: \`deploy-advisor check\` applies it to the files below it (and reports its own problems)`);
    if (!read.format) throw new UsageError(`${target}: not a config Deploy Advisor reads (a Hugging Face config.json, a vLLM/SGLang/TensorRT-LLM config, a Kubernetes manifest, Helm values, a compose file, a *.deploy.yaml profile, an engine startup log or a benchmark result)`);
    // The repository's calibration (`deploy-advisor calibrate`) applies to every estimate below its config, as in the editor.
    const calibration = new RepoConfigStore().forFile(file);
    if (calibration?.calibration && !calibration.problems.length) for (const p of read.plans) p.calibration ??= calibration.calibration;
  }
  return read;
}
