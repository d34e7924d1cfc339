/** Short estimates after the keys that matter most (what a value costs or buys, right where it is set). */
import { InlayHint, InlayHintKind } from 'vscode-languageserver';
import { GiB, settableMaxModelLen } from '../estimator/memory';
import type { Analysis } from '../pipeline';
import type { Range } from 'vscode-languageserver';
import { measuredHints } from './measuredHints';

const tokens = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));

export function inlayHints(a: Analysis, range: Range): InlayHint[] {
  const hints: InlayHint[] = measuredHints(a, range);
  for (const w of a.workloads) {
    const e = w.estimate;
    if (!e) continue;
    for (const k of w.plan.keys ?? []) {
      if (k.valueRange.start.line < range.start.line || k.valueRange.end.line > range.end.line) continue;
      let label: string | undefined;
      switch (k.knob) {
        case 'maxModelLen':
          label = e.serving.maxModelLen > e.model.contextLimit ? `above the model's ${tokens(e.model.contextLimit)}-token context`
            : e.memory.fits ? `${e.memory.maxConcurrency}× concurrent at this length` : `fits up to ${settableMaxModelLen(e.memory.maxModelLenThatFits, e.model.contextLimit)}`;
          break;
        case 'gpuMemoryUtilization': label = `KV pool ${(e.memory.kvPoolBytesPerGpu / GiB).toFixed(1)} GiB/GPU`; break;
        case 'kvCacheDtype': label = `${(e.model.kvBytesPerToken / 1024).toFixed(0)} KiB/token · ${tokens(e.memory.kvCapacityTokens)} tokens`; break;
        case 'tensorParallel': label = `${(e.memory.weightsBytesPerGpu / GiB).toFixed(1)} GiB weights/GPU`; break;
        case 'maxNumSeqs': label = `KV holds ${Math.floor(e.memory.kvCapacityTokens / (e.workload.inputLen + e.workload.outputLen))} × ${e.workload.inputLen + e.workload.outputLen}-token requests`; break;
        case 'maxNumBatchedTokens': label = `activation peak ${(e.memory.activationBytesPerGpu / GiB).toFixed(2)} GiB`; break;
        case 'quantization': label = `${e.serving.weightDtype} weights, ${e.serving.computeDtype} math`; break;
      }
      if (label) hints.push({ position: k.valueRange.end, label: ` ${label}`, kind: InlayHintKind.Type, paddingLeft: true });
    }
  }
  return hints;
}
