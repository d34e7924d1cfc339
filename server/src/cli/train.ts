/**
 * `deploy-advisor train <file|model>`: will this fine-tune fit, how fast will it run — peak memory per GPU by
 * component, tokens per step and per second. Flag names and the --json shape are a public contract (README "CLI").
 * Exit status as for `estimate`: 0 fits, 1 does not fit, 2 usage or input error.
 * A training-config file (axolotl, LLaMA-Factory, torchtune, TRL, DeepSpeed, accelerate) is read by a
 * TrainingFileLoader (formats/training/), plugged in with makeTrainCommand(loader); without one, `train` reads model
 * ids and Hugging Face config.json files (a folder holding one, too).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GpuCatalog } from '../catalog/gpus';
import { catalogConfig } from '../catalog/models';
import { envToken, HubConfigStore } from '../node/hub';
import type { TrainingPlan } from '../plan/training';
import { estimateTraining } from '../estimator/training/estimate';
import { resolveTraining } from '../estimator/training/resolve';
import type { TrainingEstimate } from '../estimator/training/types';
import type { CliCommand, CommandValues } from './command';
import { UsageError } from './options';
import { CLI_METHODS, CLI_OPTIMIZERS, CLI_PRECISIONS, trainingPlanFromFlags } from './trainingFlags';
import { SEARCH_HELP, SEARCH_OPTIONS, searchOptionsFromFlags } from './trainingSearchFlags';
import { searchTraining } from '../training/search';
import { trainingSearchJson } from '../training/searchJson';
import { trainingSearchMarkdown } from '../training/searchMarkdown';

/** Reads a training-config file into a plan, or says why it cannot (the lead wires formats/training/ here). */
/** `findings`: what the reader reported on the file (misspelled keys, bad values), with 1-based lines. */
export type TrainingFileLoader = (file: string) => { plan: TrainingPlan; findings?: FileFinding[] } | { error: string } | undefined;
export interface FileFinding { rule: string; severity: string; message: string; line: number }

const GiB = 2 ** 30;

/** The --json contract: { model, hardware, training: {…}, assumptions, findings } (extra fields may be added). */
export interface TrainJson {
  model: string;
  hardware: { gpu: string; count: number };
  training: {
    method: string; precision: string; optimizer: string; trainableParams: number;
    weightsBytesPerGpu: number; gradientsBytesPerGpu: number; optimizerBytesPerGpu: number; activationsBytesPerGpu: number;
    logitsBytesPerGpu: number; overheadBytesPerGpu: number; peakBytesPerGpu: number; fits: boolean;
    tokensPerStep: number; stepSeconds: number; tokensPerSecond: number;
    totalParams: number; allocatedPeakBytesPerGpu: number; peakPhase: string; capacityBytesPerGpu: number;
    hostBytesPerNode: number; effectiveBatch: number;
  };
  assumptions: string[];
  findings: Array<{ rule: string; severity: string; message: string; component?: string; line?: number }>;
}

export function trainingToJson(e: TrainingEstimate): TrainJson {
  const c = e.components;
  return {
    model: e.model,
    hardware: { gpu: e.gpu.id, count: e.gpus },
    training: {
      method: e.method, precision: e.precision, optimizer: e.optimizer, trainableParams: e.trainableParams,
      weightsBytesPerGpu: Math.round(c.weights), gradientsBytesPerGpu: Math.round(c.gradients), optimizerBytesPerGpu: Math.round(c.optimizer),
      activationsBytesPerGpu: Math.round(c.activations), logitsBytesPerGpu: Math.round(c.logits), overheadBytesPerGpu: Math.round(c.overhead),
      peakBytesPerGpu: Math.round(e.peakBytesPerGpu), fits: e.fits, tokensPerStep: e.tokensPerStep,
      stepSeconds: Number(e.stepSeconds.toPrecision(4)), tokensPerSecond: Math.round(e.tokensPerSecond),
      totalParams: e.totalParams, allocatedPeakBytesPerGpu: Math.round(e.allocatedPeakBytes), peakPhase: e.peakPhase,
      capacityBytesPerGpu: Math.round(e.capacityBytes), hostBytesPerNode: Math.round(e.hostBytesPerNode), effectiveBatch: e.effectiveBatch,
    },
    assumptions: e.assumptions,
    findings: e.issues.map((i) => ({ rule: i.code, severity: i.severity, message: i.message, ...(i.component ? { component: i.component } : {}) })),
  };
}

export function trainingMarkdown(e: TrainingEstimate): string {
  const g = (b: number) => `${(b / GiB).toFixed(2)} GiB`;
  const c = e.components;
  const lines = [
    `# ${e.model}: ${e.method} on ${e.gpus} × ${e.gpu.id} — ${e.fits ? 'fits' : 'does not fit'}`,
    '',
    `Peak ${g(e.peakBytesPerGpu)} per GPU of ${g(e.capacityBytes)} (at the ${e.peakPhase} peak; ${g(e.allocatedPeakBytes)} allocated by PyTorch).`,
    `${e.tokensPerStep.toLocaleString('en-US')} tokens per step (effective batch ${e.effectiveBatch}), ${e.stepSeconds.toFixed(2)} s per step, ${Math.round(e.tokensPerSecond).toLocaleString('en-US')} tokens/s.`,
    '',
    '| component | per GPU |',
    '|---|---|',
    `| weights | ${g(c.weights)} |`,
    `| gradients | ${g(c.gradients)} |`,
    `| optimizer states + step temporaries | ${g(c.optimizer)} |`,
    `| activations | ${g(c.activations)} |`,
    `| logits + loss | ${g(c.logits)} |`,
    `| CUDA context, workspaces, fragmentation | ${g(c.overhead)} |`,
    '',
    `Trainable parameters: ${e.trainableParams.toLocaleString('en-US')} of ${e.totalParams.toLocaleString('en-US')}.${e.hostBytesPerNode ? ` Host memory for offloaded states: ${g(e.hostBytesPerNode)} per node.` : ''}`,
  ];
  if (e.issues.length) lines.push('', '## Findings', '', ...e.issues.map((i) => `- ${i.severity}: ${i.message}`));
  lines.push('', '## Assumptions', '', ...e.assumptions.map((a) => `- ${a}`));
  return lines.join('\n');
}

function readConfigJson(file: string): Record<string, unknown> {
  const size = fs.statSync(file).size;
  if (size > 64 * 1024 * 1024) throw new UsageError(`${file} is ${(size / 2 ** 20).toFixed(0)} MiB; too large to be a config`);
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`${file}: not a JSON object (${(e as Error).message})`);
  }
}

/** <file|model> → the plan the flags apply over, and a model config when the target is one. */
function loadTarget(target: string, loader: TrainingFileLoader | undefined): { base?: TrainingPlan; model?: string; config?: Record<string, unknown>; findings?: FileFinding[] } {
  if (fs.existsSync(target)) {
    const st = fs.statSync(target);
    if (st.isDirectory()) {
      const cfg = path.join(target, 'config.json');
      if (!fs.existsSync(cfg)) throw new UsageError(`${target} is a folder without a config.json`);
      return { model: path.basename(path.resolve(target)), config: readConfigJson(cfg) };
    }
    const read = loader?.(target);
    if (read && 'plan' in read) return { base: read.plan, findings: read.findings };
    if (read && 'error' in read) throw new UsageError(`${target}: ${read.error}`);
    if (/\.json$/i.test(target)) {
      const raw = readConfigJson(target);
      if (typeof raw.model_type === 'string' || raw.architectures) return { model: path.basename(path.dirname(path.resolve(target))), config: raw };
    }
    throw new UsageError(`${target}: not a model config.json${loader ? ' nor a training config Deploy Advisor reads' : ' (training-config files are read once the training readers are wired in)'}`);
  }
  return { model: target };
}

let hub: HubConfigStore | undefined;

export async function runTrain(target: string | undefined, values: CommandValues, loader?: TrainingFileLoader): Promise<{ output: string; code: number }> {
  if (!target) throw new UsageError('train needs a training-config file or a model id (e.g. deploy-advisor train meta-llama/Llama-3.1-8B --method lora)');
  const search = searchOptionsFromFlags(values);
  const t = loadTarget(target, loader);
  const plan = trainingPlanFromFlags(t.base, values, t.model);
  if (values.hub && plan.model && !t.config && !catalogConfig(plan.model.value)) {
    const cacheRoot = process.env.DEPLOY_ADVISOR_CACHE ?? path.join(os.homedir(), '.cache', 'deploy-advisor');
    hub = new HubConfigStore({ cacheDir: path.join(cacheRoot, 'hub'), token: async () => envToken() });
    await hub.settle(plan.model.value);
  }
  const res = resolveTraining(plan, { gpus: new GpuCatalog(), models: values.hub ? hub : undefined }, t.config);
  if (!res.ok) {
    if (values.json) return { output: JSON.stringify({ model: plan.model?.value ?? target, error: res.error }, null, 2), code: 2 };
    throw new UsageError(res.error);
  }
  const e = estimateTraining(res.inputs, res.assumptions);
  // With --cheapest the status says whether a setup meets the target; without, whether the file's fits.
  const found = search && searchTraining(res.inputs, new GpuCatalog(), search);
  const code = found ? (found.plans.length ? 0 : 1) : e.fits ? 0 : 1;
  const fileFindings = t.findings ?? [];
  if (values.json) {
    const json = trainingToJson(e);
    json.findings.unshift(...fileFindings);
    return { output: JSON.stringify(found ? { ...json, ...trainingSearchJson(found) } : json, null, 2), code };
  }
  const fileLines = fileFindings.map((f) => `- ${f.severity} ${f.rule} (line ${f.line}): ${f.message}`);
  const body = found ? `${trainingMarkdown(e)}\n\n${trainingSearchMarkdown(e.model, found)}` : trainingMarkdown(e);
  return { output: fileLines.length ? `${body}\n\nIn the file:\n${fileLines.join('\n')}` : body, code };
}

export function makeTrainCommand(loader?: TrainingFileLoader): CliCommand {
  return {
    name: 'train',
    summary: 'Estimate a fine-tuning job: peak memory per GPU by component, whether it fits, step time and tokens/s.',
    usage: 'train <file|model> [options]',
    options: {
      method: { type: 'string' }, precision: { type: 'string' }, optimizer: { type: 'string' },
      'gradient-checkpointing': { type: 'boolean' }, 'seq-len': { type: 'string' }, 'micro-batch': { type: 'string' },
      'grad-accum': { type: 'string' }, 'lora-rank': { type: 'string' }, 'lora-alpha': { type: 'string' }, 'lora-targets': { type: 'string' },
      zero: { type: 'string' }, offload: { type: 'string' }, gpu: { type: 'string' }, gpus: { type: 'string' },
      json: { type: 'boolean' }, hub: { type: 'boolean' },
      ...SEARCH_OPTIONS,
    },
    optionHelp: {
      method: `--method ${CLI_METHODS.join('|')}   full fine-tuning, LoRA, or QLoRA (4-bit NF4 base)`,
      precision: `--precision ${CLI_PRECISIONS.join('|')}   bf16: everything bf16; mixed: fp32 master + bf16 autocast; fp32`,
      optimizer: `--optimizer ${CLI_OPTIMIZERS.join('|')}`,
      'gradient-checkpointing': '--gradient-checkpointing   keep only each layer\'s input, recompute in the backward',
      'seq-len': '--seq-len N   tokens per sequence', 'micro-batch': '--micro-batch N   sequences per GPU per forward',
      'grad-accum': '--grad-accum N   micro-batches per optimizer step',
      'lora-rank': '--lora-rank R', 'lora-alpha': '--lora-alpha A', 'lora-targets': '--lora-targets a,b,c   module names, or all-linear',
      zero: '--zero 0|1|2|3   DeepSpeed ZeRO stage over the GPUs', offload: '--offload none|optimizer|params   ZeRO offload to CPU',
      gpu: '--gpu NAME   catalog GPU (default H100-SXM)', gpus: '--gpus N   data-parallel GPUs',
      json: '--json   print the estimate as JSON', hub: '--hub   look model ids up on the Hugging Face Hub',
      ...SEARCH_HELP,
    },
    async run(positionals, values) {
      if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
      const { output, code } = await runTrain(positionals[0], values, loader);
      process.stdout.write(`${output}\n`);
      return code;
    },
  };
}

export const trainCommand = makeTrainCommand();
