/**
 * The estimate's issues and assumptions as they are found, and the builders of the messages that need numbers
 * (memory fit, max length against the model's context, the workload against max length).
 */
import { engineLabels } from '../plan/types';
import type { DeploymentPlan, Provenance } from '../plan/types';
import type { EngineModel } from './engines/types';
import type { EstimateIssue, Severity } from './estimateTypes';
import { longContextPolicy } from './contextLength';
import { GiB } from './memory';

/** Issues and assumptions in the order they are found (the findings and the report list them in that order). */
export class IssueLog {
  readonly issues: EstimateIssue[] = [];
  readonly assumptions: string[] = [];

  assume(...notes: string[]): void {
    this.assumptions.push(...notes);
  }

  bad(code: string, message: string, source?: Provenance, severity: Severity = 'error', meant?: EstimateIssue['meant']): void {
    this.issues.push({ code, severity, message, source, ...(meant ? { meant } : {}) });
  }

  /** An error the engine stops on at startup (argument validation, memory profiling): the server never comes up. */
  refuse(code: string, message: string, source?: Provenance): void {
    this.issues.push({ code, severity: 'error', message, source, refusesStart: true });
  }
}

/** What the memory fit checks read. */
export interface FitFacts {
  weights: number;
  activation: number;
  /** Non-torch + CUDA graphs (the "overhead" of the messages and of the JSON). */
  overhead: number;
  poolBytes: number;
  usedBytes: number;
  usableBytes: number;
  utilization: number;
  /** KV bytes per GPU of one max-length request. */
  perRequest: number;
  maxModelLen: number;
  lenThatFits: number;
  lenToSet: number;
  contextLimit: number;
}

/**
 * Whether the deployment fits, reporting why not: no KV pool left, one max-length request larger than the pool (the
 * engine refuses to start), or everything together above the GPU — each engine's pool leaves the rest to what it
 * reserves outside it (vLLM before 0.21 captures CUDA graphs after sizing the pool; SGLang keeps activations and graphs
 * in 1 − mem_fraction_static): all of it must fit together.
 */
export function checkFit(log: IssueLog, f: FitFacts, engine: EngineModel, plan: DeploymentPlan): boolean {
  const g = (b: number) => (b / GiB).toFixed(2);
  const modelSource = plan.model.ref.source;
  if (f.poolBytes <= 0) {
    log.refuse('does-not-fit', `The model does not fit: weights ${g(f.weights)} GiB + activations ${g(f.activation)} GiB + overhead ${g(f.overhead)} GiB leave no KV cache within ${f.utilization} × ${(f.usableBytes / GiB).toFixed(1)} GiB per GPU.`, modelSource);
    return false;
  }
  if (f.perRequest > f.poolBytes) {
    const fitsNote = f.lenThatFits >= f.contextLimit
      ? `The model's own context length (${f.lenThatFits}) fits.`
      : `Largest ${engine.knobNames.maxModelLen} that fits: ${f.lenThatFits}${f.lenToSet !== f.lenThatFits ? `; set ${f.lenToSet}` : ''}.`;
    log.refuse('max-len-exceeds-kv', `One ${f.maxModelLen}-token request needs ${g(f.perRequest)} GiB of KV per GPU but the pool is ${g(f.poolBytes)} GiB; ${engine.name} will refuse to start. ${fitsNote}`, plan.knobs.maxModelLen?.source ?? modelSource);
    return false;
  }
  if (f.usedBytes > f.usableBytes) {
    log.refuse('does-not-fit', `Weights ${g(f.weights)} GiB + activations ${g(f.activation)} GiB + overhead ${g(f.overhead)} GiB + KV pool ${g(f.poolBytes)} GiB exceed the GPU's ${(f.usableBytes / GiB).toFixed(1)} GiB.`, modelSource);
    return false;
  }
  return true;
}

/** A max length above what the engine derives from the model's config: vLLM and SGLang refuse it unless allowed. */
export function checkMaxLenAboveModel(log: IssueLog, plan: DeploymentPlan, engine: EngineModel, maxModelLen: number, contextLimit: number): void {
  const k = plan.knobs;
  if (!k.maxModelLen || maxModelLen <= contextLimit) return;
  const policy = longContextPolicy(engine.name);
  const allowed = plan.engine.allowLongContext?.value === true;
  const label = engineLabels[engine.name];
  const what = `${engine.knobNames.maxModelLen} ${maxModelLen} exceeds the ${contextLimit} tokens ${label} derives from the model's config (${k.ropeScaling ? 'with the RoPE override' : 'max_position_embeddings'})`;
  if (policy.refuses && !allowed) log.refuse('max-len-above-model', `${what}: ${label} refuses to start unless ${policy.allowEnv}=1 is set.`, k.maxModelLen.source);
  else log.bad('max-len-above-model', `${what}${allowed ? `; ${policy.allowEnv}=1 lets it start` : ''}, but the model was not trained past ${contextLimit} tokens: longer requests may produce poor output.`, k.maxModelLen.source, 'warning');
}

/** The unknown-model error: a reason (untrusted workspace, Hub lookup under way or failed) first, else a near miss. */
export function unknownModel(log: IssueLog, plan: DeploymentPlan, status: string | undefined, near: string | undefined): void {
  const ref = plan.model.ref.value;
  const message = status !== undefined
    ? `Unknown model "${ref}" (not in the built-in catalog). ${status}`
    : `Unknown model "${ref}": not in the built-in catalog and no config.json was found. Point model: at a folder with a config.json, or use a catalog id.${near ? ` Did you mean "${near}"?` : ''}`;
  log.bad('unknown-model', message, plan.model.ref.source, 'error', near ? { from: ref, to: near } : undefined);
}
