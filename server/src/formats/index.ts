/** Format detection and reading: text → parsed document → DeploymentPlan[] (plus syntax/format problems). */
import { composeReader } from './compose';
import { parseText, ParsedDocument } from './document';
import { dynamoReader } from './dynamo';
import { applyDirective, findDirective } from './directive';
import { readMeasured } from './logs';
import { helmReader } from './helm';
import { hfConfigReader } from './hfConfig';
import { kubernetesReader } from './kubernetes';
import { kubernetesLaunchersReader } from './kubeLaunchers';
import { nimHelmReader } from './nim';
import { applyOverlay, profileReader, readOverlay } from './profile';
import { rayServeReader } from './rayServe';
import { repoConfigReader } from './repoConfigFile';
import { sglangReader } from './sglang';
import { skypilotReader } from './skypilot';
import { trtllmReader } from './trtllm';
import type { DeploymentPlan, Sourced } from '../plan/types';
import type { FormatReader, ReadContext, ReadResult } from './types';
import { vllmReader } from './vllm';

/** Most specific first: structured objects before flat engine option files (which detect on their keys). */
export const readers: FormatReader[] = [repoConfigReader, hfConfigReader, dynamoReader, rayServeReader, kubernetesLaunchersReader, kubernetesReader, helmReader, nimHelmReader, composeReader, skypilotReader, profileReader, trtllmReader, sglangReader, vllmReader];

export function readDocument(doc: ParsedDocument, ctx: ReadContext = {}): ReadResult {
  const problems = doc.problems.map((p) => ({ code: 'syntax', severity: 'error' as const, message: p.message, range: p.range }));
  for (const r of readers) {
    let claimed = false;
    try {
      claimed = r.detect(doc);
    } catch {
      claimed = false;
    }
    if (!claimed) continue;
    try {
      const res = r.read(doc, ctx);
      if (ctx.sideProfile && r.name !== 'profile') {
        const overlay = readOverlay(parseText(ctx.sideProfile.uri, ctx.sideProfile.text));
        if (overlay) for (const p of res.plans) applyOverlay(p, overlay);
      }
      for (const p of res.plans) applySettings(p, ctx);
      return { ...res, problems: [...problems, ...res.problems] };
    } catch (e) {
      return { format: r.name, plans: [], problems: [...problems, { code: 'reader-error', severity: 'error', message: `Could not read this ${r.name} file: ${(e as Error).message}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] };
    }
  }
  return { format: null, plans: [], problems: [] };
}

export function readText(uri: string, text: string, ctx: ReadContext = {}): ReadResult {
  // Binary content (NUL and other control bytes) is not a config; say so when the file looks like one of ours.
  if (/[\u0000-\u0008\u000E-\u001A]/.test(text.slice(0, 8192))) {
    return looksLikeOurs(uri, text)
      ? { format: null, plans: [], problems: [{ code: 'binary', severity: 'error', message: 'This file contains binary data, not YAML or JSON text.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] }
      : { format: null, plans: [], problems: [] };
  }
  let measured: ReturnType<typeof readMeasured>;
  try {
    measured = readMeasured(uri, text, ctx);
  } catch (e) {
    return { format: null, plans: [], problems: [{ code: 'reader-error', severity: 'error', message: `Could not read this log or result file: ${(e as Error).message}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] };
  }
  if (measured) return measuredRead(measured, text, ctx);
  const doc = parseText(uri, text);
  const res = readDocument(doc, ctx);
  // Unclaimed files get no findings at all — unless they are ours and broken (syntax errors in a file we would read).
  if (res.format === null && doc.problems.length && looksLikeOurs(uri, text)) {
    return { format: null, plans: [], problems: doc.problems.map((p) => ({ code: 'syntax', severity: 'error', message: p.message, range: p.range })) };
  }
  return res;
}

/** A log or result: its stated configuration as the one plan (a `# deploy-advisor:` line and the settings fill in). */
function measuredRead(run: NonNullable<ReturnType<typeof readMeasured>>, text: string, ctx: ReadContext): ReadResult {
  applyDirective(run.plan, findDirective(text.slice(0, 64 * 1024)));
  applySettings(run.plan, ctx);
  const problems: ReadResult['problems'] = [];
  if (run.partial) {
    problems.push({ code: 'log-read-partially', severity: 'info', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `This log is ${(run.partial.totalBytes / 2 ** 20).toFixed(0)} MB: its first ${(run.partial.readBytes / 2 ** 20).toFixed(0)} MB were read line by line (the startup), the rest only for preemption and KV-cache warnings.` });
  }
  return { format: run.kind, plans: [run.plan], problems, measured: run };
}

/** A broken file still gets its syntax errors when its name or content says it is a serving config. */
export function looksLikeOurs(uri: string, text: string): boolean {
  return /(^|\/)(config\.json|[^/]*(vllm|sglang|trtllm|tgi)[^/]*\.ya?ml|[^/]*\.deploy\.ya?ml)$/i.test(uri)
    || /gpu[-_]memory[-_]utilization|tensor[-_]parallel[-_]size|num_hidden_layers|mem[-_]fraction[-_]static|vllm serve|sglang\.launch_server/.test(text.slice(0, 20000));
}

/** Settings fill in what neither the file, its profile nor its directive stated. */
function applySettings(plan: DeploymentPlan, ctx: ReadContext): void {
  // Container readers apply deployAdvisor.engineVersion below the image tag (planBuilder.ts); this covers the others.
  if (ctx.engineVersion && !plan.engine.version) plan.engine.version = ctx.engineVersion;
  const w = plan.workload as unknown as Record<string, Sourced<unknown> | undefined>;
  for (const [k, v] of Object.entries(ctx.workload ?? {})) {
    if (v && (!w[k] || w[k]!.source.kind === 'default')) w[k] = v as Sourced<unknown>;
  }
  for (const [k, v] of Object.entries(ctx.slo ?? {})) {
    if (v && !(plan.slo as Record<string, unknown> | undefined)?.[k]) plan.slo = { ...plan.slo, [k]: v };
  }
}
