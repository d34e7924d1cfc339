/** The shared tail of every format reader: engine options + the hardware around them → one DeploymentPlan. */
import { defaultWorkload } from '../plan/defaults';
import { byDefault, DeploymentPlan, EngineKnobs, EngineName, KeyOccurrence, Sourced, sourced, WriteBack } from '../plan/types';
import type { ImageFacts } from './imageTag';
import type { FormatProblem, LocalModel, ReadContext } from './types';

/** An engine's options, read from any source. */
export interface EngineOptionsResult {
  engine: EngineName;
  knobs: EngineKnobs;
  keys: KeyOccurrence[];
  model?: Sourced<string>;
  local?: LocalModel;
  problems: FormatProblem[];
  /** The container's environment lets the engine accept a max length above the model's (estimator/contextLength.ts). */
  allowLongContext?: Sourced<boolean>;
}

export interface HardwareFacts {
  gpu?: Sourced<string>;
  /** GPUs per replica. */
  count?: Sourced<number>;
  replicas?: Sourced<number>;
}

export interface PlanOptions {
  /** The model when the options do not name one (llm-d's modelArtifacts). */
  fallbackModel?: Sourced<string>;
  writeBack?: WriteBack;
  /** Where the engine's name came from, for the report. */
  engineNote?: string;
  /** The container image: its tag's engine version comes before the deployAdvisor.engineVersion setting. */
  image?: ImageFacts;
  /** What to tell the user when no model is found. */
  missingModel?: { severity: FormatProblem['severity']; message: string };
}

/**
 * The engine, its version and where that came from: a version the image tag states, else the setting, else none (the
 * estimator takes the newest modelled; an unversioned tag says why). A `# deploy-advisor: engine-version=` comment,
 * applied after this, overrides them all.
 */
function engineOf(o: EngineOptionsResult, ctx: ReadContext, opts: PlanOptions): DeploymentPlan['engine'] {
  const image = opts.image?.engine === o.engine ? opts.image : undefined;
  const version = image?.version ?? ctx.engineVersion;
  return {
    name: sourced(o.engine, { kind: 'inferred', note: opts.engineNote ?? `${o.engine} from the container's command` }),
    ...(version ? { version } : {}),
    ...(o.allowLongContext ? { allowLongContext: o.allowLongContext } : {}),
    ...(image ? { image: image.image } : {}),
  };
}

/** One plan from an engine's options and the hardware around them; the shared tail of every format reader. */
export function planFromOptions(name: string | undefined, o: EngineOptionsResult, hw: HardwareFacts, ctx: ReadContext, opts: PlanOptions = {}): { plan: DeploymentPlan; problems: FormatProblem[] } {
  const problems = [...o.problems];
  const model = o.model ?? opts.fallbackModel;
  if (!model) {
    const missing = opts.missingModel ?? { severity: 'warning' as const, message: `${name}: no model found in the ${o.engine} command line.` };
    problems.push({ code: 'missing-model', ...missing, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  }
  const plan: DeploymentPlan = {
    name: name ?? model?.value ?? o.engine,
    model: { ref: model ?? byDefault('(unknown model)', 'no model in the command line'), config: o.local?.config, hfQuantConfig: o.local?.hfQuantConfig },
    hardware: {
      gpu: hw.gpu ?? ctx.gpu ?? byDefault('H100-SXM', 'GPU H100 SXM (default; add a node selector, the deployAdvisor.gpu setting or a deploy-advisor: gpu= comment)'),
      count: hw.count ?? ctx.gpuCount,
      replicas: hw.replicas ?? byDefault(1, 'one replica'),
    },
    engine: engineOf(o, ctx, opts),
    knobs: o.knobs,
    keys: o.keys,
    workload: defaultWorkload(),
    writeBack: opts.writeBack,
  };
  // GPUs requested vs what the engine uses (vllm: TP × PP × DP; TGI: num-shard). DP attention splits the TP GPUs.
  const dp = o.knobs.attentionDataParallel?.value === true ? 1 : o.knobs.dataParallel?.value ?? 1;
  const used = (o.knobs.tensorParallel?.value ?? 1) * (o.knobs.pipelineParallel?.value ?? 1) * dp;
  const what = dp > 1 ? 'tensor × pipeline × data parallel' : 'tensor × pipeline parallel';
  if (hw.count && hw.count.source.kind === 'file' && (o.knobs.tensorParallel || o.knobs.pipelineParallel) && hw.count.value !== used) {
    problems.push({
      code: 'gpu-count-mismatch', severity: hw.count.value < used ? 'error' : 'warning', refusesStart: hw.count.value < used,
      message: hw.count.value < used
        ? `The pod requests ${hw.count.value} GPU(s) but ${what} needs ${used}; the engine will fail to start.`
        : `The pod requests ${hw.count.value} GPU(s) but ${what} uses ${used}; ${hw.count.value - used} GPU(s) sit idle.`,
      range: hw.count.source.range,
    });
  }
  return { plan, problems };
}
