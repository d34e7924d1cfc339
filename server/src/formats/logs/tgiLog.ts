/**
 * Text Generation Inference logs (`text-generation-launcher`): the launcher's `Args { model_id: "…", num_shard: …, … }`
 * dump (one line, or Rust's pretty form over many), the GPU from the `nvidia-smi` table it prints at start, and the
 * router's `Setting max batch total tokens to N` — the KV tokens its warm-up found room for
 * (router/src/main.rs, launcher/src/main.rs).
 */
import { GpuCatalog } from '../../catalog/gpus';
import { sourced } from '../../plan/types';
import { Collected, on } from './collect';
import { LoggedOption, loggedOption, planFromLog } from './logPlan';
import type { LogLine, LogText } from './lines';
import { rangeIn } from './lines';
import { dumpEntries, pyValue } from './reprDump';
import type { MeasuredRun } from './types';
import type { ReadContext } from '../types';

export function isTgiLog(head: LogLine[]): boolean {
  return head.some((l) => /text_generation_(?:launcher|router)/.test(l.text)) && head.some((l) => /\bArgs \{|Setting max batch total tokens to \d+/.test(l.text));
}

/** TGI's option names are the launcher's flags with underscores. */
const flag = (k: string) => k.replace(/_/g, '-');

export function readTgiLog(text: LogText, ctx: ReadContext, uri: string): MeasuredRun {
  const c = new Collected();
  const options = new Map<string, LoggedOption>();
  let gpu: { id: string; line: LogLine; start: number; end: number } | undefined;
  const catalog = new GpuCatalog();
  for (let i = 0; i < text.head.length; i++) {
    const line = text.head[i];
    const t = line.text;
    on(line, /\bArgs \{/, (m) => {
      const single = dumpEntries(t, m.index + m[0].length - 1);
      if (single.length) {
        for (const e of single) if (!options.has(e.key) && e.value !== null) options.set(e.key, loggedOption(line, e, flag(e.key)));
        return;
      }
      // Pretty-printed: one `key: value,` a line until the closing brace.
      for (let j = i + 1; j < text.head.length && j < i + 400; j++) {
        const l = text.head[j];
        const kv = /^(\s*)([a-z_]+): (.*?),?\s*$/.exec(l.text);
        if (!kv) {
          if (/^\s*\}/.test(l.text)) break;
          continue;
        }
        const ks = kv[1].length;
        let [vl, vtext] = [l, kv[3]];
        // `max_total_tokens: Some(` / `8192,` / `),`: the value is on the next line.
        if (kv[3] === 'Some(' && j + 1 < text.head.length) {
          vl = text.head[++j];
          vtext = vl.text.trim().replace(/,$/, '');
        }
        const value = pyValue(vtext);
        const vs = vl.text.indexOf(vtext, vl === l ? ks + kv[2].length : 0);
        if (value !== null && !options.has(kv[2])) options.set(kv[2], { key: flag(kv[2]), value, keyRange: rangeIn(l, ks, ks + kv[2].length), valueRange: rangeIn(vl, vs, vs + vtext.length) });
      }
    });
    on(line, /\|\s+\d+\s+(NVIDIA [A-Za-z0-9 -]+?)\s{2,}/, (m) => {
      const g = catalog.find(m[1]);
      const s = line.text.indexOf(m[1]);
      if (g && !gpu) gpu = { id: g.id, line, start: s, end: s + m[1].length };
    });
    on(line, /Setting max batch total tokens to (\d+)/d, (m) => c.add('kvCapacityTokens', line, m, 1));
  }
  const name = String(options.get('model_id')?.value ?? uri.split('/').pop() ?? 'TGI log');
  const gctx = gpu && !ctx.gpu ? { ...ctx, gpu: sourced(gpu.id, { kind: 'file', range: rangeIn(gpu.line, gpu.start, gpu.end), key: 'nvidia-smi' }) } : ctx;
  const { plan, assumptions } = planFromLog('tgi', [...options.values()], gctx, { name, engineNote: 'TGI launcher log' });
  return { format: 'tgi-log', kind: 'engine-log', engine: 'tgi', plan, figures: c.figures, events: c.events, assumptions };
}
