/**
 * Training configs: text → parsed document with ranges → TrainingPlan (plus problems), or undefined when the file is
 * not a training config. Kept apart from the serving readers (../index.ts): a file is one or the other, and serving
 * files (Kubernetes manifests, engine option YAML, config.json) are never claimed here.
 */
import { isMap } from 'yaml';
import type { TrainingFormat, TrainingPlan } from '../../plan/training';
import { byDefault } from '../../plan/types';
import { entries, parseText } from '../document';
import { accelerateReader } from './accelerate';
import { axolotlReader } from './axolotl';
import { deepspeedReader } from './deepspeed';
import { hfTrainerReader } from './hfTrainer';
import { llamafactoryReader } from './llamafactory';
import { torchtuneReader } from './torchtune';
import type { TrainingReadContext, TrainingReader, TrainingReadResult } from './types';

export type { TrainingReadContext, TrainingReadResult } from './types';

/** Most specific first: component trees and framework-only keys before the Trainer's generic argument names. */
export const trainingReaders: TrainingReader[] = [torchtuneReader, deepspeedReader, accelerateReader, axolotlReader, llamafactoryReader, hfTrainerReader];

const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function readTrainingText(uri: string, text: string, ctx: TrainingReadContext = {}): TrainingReadResult | undefined {
  if (/[\u0000-\u0008\u000E-\u001A]/.test(text.slice(0, 8192))) return undefined;
  const doc = parseText(uri, text);
  // Training configs are one mapping; multi-document files are manifests.
  if (doc.docs.length !== 1 || !isMap(doc.docs[0].contents)) return undefined;
  const keys = new Set(entries(doc.docs[0].contents).map((e) => e.key));
  const reader = trainingReaders.find((r) => {
    try {
      return r.detect(keys, doc);
    } catch {
      return false;
    }
  });
  if (!reader) return undefined;
  const syntax = doc.problems.map((p) => ({ code: 'syntax', severity: 'error' as const, message: p.message, range: p.range }));
  try {
    const res = reader.read(doc, ctx);
    return { ...res, problems: [...syntax, ...res.problems] };
  } catch (e) {
    return { format: reader.format, plan: emptyPlan(reader.format), problems: [...syntax, { code: 'reader-error', severity: 'error', message: `Could not read this ${reader.format} file: ${(e as Error).message}`, range: top }] };
  }
}

function emptyPlan(format: TrainingFormat): TrainingPlan {
  const d = <T>(v: T) => byDefault(v, 'the file could not be read');
  return { format, method: d('full'), precision: d('mixed'), optimizer: d('adamw'), seqLen: d(2048), microBatch: d(1), gradAccum: d(1), gradientCheckpointing: d(false), sharding: { kind: 'none', stage: d(0) }, hardware: {}, linked: [], unmodelled: [], unread: [] };
}
