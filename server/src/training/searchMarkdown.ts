/** The training search's result → Markdown (CLI `train --cheapest`); the report page draws the same rows. */
import { shardingLabel } from './search';
import type { TrainingPlanRow, TrainingSearchResult } from './searchTypes';

const GiB = 2 ** 30;

export function changeText(c: TrainingPlanRow['changes'][number]): string {
  const v = (x: string | number | boolean) => (typeof x === 'boolean' ? (x ? 'on' : 'off') : String(x));
  const names: Record<string, string> = { gpu: 'GPU', gpus: 'GPUs', gradientCheckpointing: 'gradient checkpointing', microBatch: 'micro-batch', gradAccum: 'grad-accum', effectiveBatch: 'effective batch' };
  return `${names[c.knob] ?? c.knob} ${v(c.from)} → ${v(c.to)}`;
}

export function setupText(p: TrainingPlanRow): string {
  return `${p.method} · ${p.precision} · ${shardingLabel(p.sharding)}${p.offload !== 'none' ? ` + ${p.offload} offload` : ''}${p.gradientCheckpointing ? ' · checkpointing' : ''} · ${p.microBatch} × ${p.gradAccum}`;
}

const money = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));

export function planCells(p: TrainingPlanRow, withTotal: boolean): string[] {
  return [
    `${p.gpus} × ${p.gpu}`, setupText(p), `${(p.peakBytesPerGpu / GiB).toFixed(1)} / ${(p.capacityBytesPerGpu / GiB).toFixed(0)}`,
    Math.round(p.tokensPerSecond).toLocaleString('en-US'), p.stepSeconds.toFixed(2), p.costPerHour.toFixed(2), p.costPerMillionTokens.toFixed(3),
    ...(withTotal ? [`${p.hours!.toFixed(1)} h · $${money(p.totalCost!)}`] : []),
    p.isFile ? "the file's setup" : p.changes.map(changeText).join('; '),
  ];
}

export function trainingSearchMarkdown(model: string, r: TrainingSearchResult): string {
  const withTotal = r.plans.some((p) => p.totalCost !== undefined) || r.current?.totalCost !== undefined;
  const head = ['#', 'GPUs', 'method · precision · sharding · micro × accum', 'peak / GPU GiB', 'tokens/s', 'step s', '$/h', '$/M tokens', ...(withTotal ? ['job'] : []), 'changes vs the file'];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const lines = [
    `## Cheapest setups for ${model}`,
    '',
    `Searched for: ${r.searchedFor}. Estimated ${r.searched.toLocaleString('en-US')} setups.`,
    '',
    line(head),
    line(head.map(() => '---')),
    ...(r.plans.length ? r.plans.map((p, i) => line([String(i + 1), ...planCells(p, withTotal)])) : [line(['–', 'no setup', ...head.slice(2).map(() => '')])]),
  ];
  if (r.current && !r.plans.some((p) => p.isFile)) {
    const c = r.current;
    lines.push('', `The file's own setup: ${c.gpus} × ${c.gpu}, ${setupText(c)}: ${c.fits ? `${Math.round(c.tokensPerSecond).toLocaleString('en-US')} tokens/s at $${c.costPerHour.toFixed(2)}/h ($${c.costPerMillionTokens.toFixed(3)}/M tokens${c.totalCost !== undefined ? `, ${c.hours!.toFixed(1)} h, $${money(c.totalCost)}` : ''})${c.meetsTarget ? '' : ', misses the target'}` : 'does not fit'}.`);
  }
  lines.push('', ...r.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}
