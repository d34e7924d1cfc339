/**
 * How the model's shape reads in words — parameters with what loads beside them, the KV a token costs (growing and
 * windowed), the hybrid split and its state — shared by the hovers, the report and the CLI text so they never differ.
 */
import type { Estimate } from '../estimator/estimate';

export const paramsText = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} B` : `${(n / 1e6).toFixed(0)} M`);

const kib = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** "26.90 B total, 26.90 B active per token · vision tower 0.46 B · MTP 0.42 B (loaded only for MTP drafting)". */
export function parametersText(e: Estimate): string {
  const m = e.model;
  return [
    `${paramsText(m.params)} total, ${paramsText(m.activeParams)} active per token`,
    ...(m.visionParams ? [`vision tower ${paramsText(m.visionParams)}`] : []),
    ...(m.mtpParams ? [`MTP ${paramsText(m.mtpParams)} (loaded only for MTP drafting)`] : []),
  ].join(' · ');
}

/** "64.0 KiB per token (auto) + 20.0 KiB per token within the sliding window". */
export function kvText(e: Estimate): string {
  const m = e.model;
  const window = m.windowKvBytes ? ` + ${kib(m.windowKvBytes)} per token within the sliding window` : '';
  return `${kib(m.kvBytesPerToken)} per token (${e.serving.kvCacheDtype})${window}`;
}

/** "16 of 64 layers keep KV; 146.8 MiB state per request" for hybrid models, else undefined. */
export function hybridText(e: Estimate): string | undefined {
  const m = e.model;
  if (!m.recurrentLayers) return undefined;
  const perGpu = e.memory.stateBytesPerRequestPerGpu;
  const neither = m.layers - m.attentionLayers - m.recurrentLayers;
  return `${m.attentionLayers} of ${m.layers} layers keep KV, ${m.recurrentLayers} a fixed recurrent state${neither > 0 ? `, ${neither} neither (MLP / MoE blocks)` : ''}; ${mib(m.stateBytesPerRequest)} state per request${perGpu ? ` (${mib(perGpu)} per GPU as stored${e.memory.kvBlockTokens > 16 ? `, KV blocks of ${e.memory.kvBlockTokens} tokens` : ''})` : ''}`;
}
