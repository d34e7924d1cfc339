/** `train --cheapest`'s flags → the training search's options (server/src/training/search.ts). */
import { CLI_METHODS } from './trainingFlags';
import type { CommandValues } from './command';
import { UsageError } from './options';
import type { TrainingSearchOptions } from '../training/searchTypes';
import type { TrainingMethod } from '../plan/training';

export const SEARCH_OPTIONS = {
  cheapest: { type: 'boolean' }, 'target-tokens-per-sec': { type: 'string' }, tokens: { type: 'string' }, 'max-hours': { type: 'string' },
  'search-methods': { type: 'string' }, 'search-gpus': { type: 'string' }, top: { type: 'string' },
} as const;

export const SEARCH_HELP: Record<keyof typeof SEARCH_OPTIONS, string> = {
  cheapest: '--cheapest   search GPU × count × method × precision × ZeRO × checkpointing × micro-batch for the cheapest setups that fit',
  'target-tokens-per-sec': '--target-tokens-per-sec N   with --cheapest: at least N tokens/s (ranked by $/h)',
  tokens: '--tokens N   with --cheapest: the job\'s token budget, e.g. 2B (ranked by the job\'s $)',
  'max-hours': '--max-hours H   with --tokens: finish within H hours',
  'search-methods': `--search-methods a,b   with --cheapest: methods allowed (${CLI_METHODS.join(', ')}; default: the file's)`,
  'search-gpus': '--search-gpus a,b   with --cheapest: GPUs searched (default: datacenter GPUs and the file\'s)',
  top: '--top N   with --cheapest: setups listed (default 10)',
};

/** "2B", "500M", "1.5e9", "20k" → a positive number. */
function amount(values: CommandValues, name: string): number | undefined {
  const v = values[name];
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmbt])?\s*$/i.exec(v);
  const n = m ? Number(m[1]) * ({ k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[(m[2] ?? '').toLowerCase() as 'k'] ?? 1) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, e.g. 2B or 1.5e9 (got ${v})`);
  return n;
}

const list = (values: CommandValues, name: string): string[] | undefined => {
  const v = values[name];
  if (typeof v !== 'string') return undefined;
  const out = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (!out.length) throw new UsageError(`--${name} needs a comma-separated list`);
  return out;
};

/** undefined without --cheapest (the search flags then are a usage error). */
export function searchOptionsFromFlags(values: CommandValues): TrainingSearchOptions | undefined {
  if (values.cheapest !== true) {
    const stray = (Object.keys(SEARCH_OPTIONS) as string[]).find((k) => k !== 'cheapest' && values[k] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --cheapest`);
    return undefined;
  }
  const tokensPerSecond = amount(values, 'target-tokens-per-sec');
  const tokens = amount(values, 'tokens');
  const maxHours = amount(values, 'max-hours');
  if (maxHours !== undefined && tokens === undefined) throw new UsageError('--max-hours needs --tokens (the budget to finish within those hours)');
  const methods = list(values, 'search-methods');
  for (const m of methods ?? []) if (!(CLI_METHODS as readonly string[]).includes(m)) throw new UsageError(`--search-methods: ${m} is not one of ${CLI_METHODS.join(', ')}`);
  const topText = values.top;
  const top = typeof topText === 'string' ? Number(topText) : undefined;
  if (top !== undefined && (!Number.isInteger(top) || top < 1 || top > 1000)) throw new UsageError(`--top must be an integer from 1 to 1000 (got ${String(topText)})`);
  return {
    target: { tokensPerSecond, tokens, maxHours },
    methods: methods as TrainingMethod[] | undefined, gpus: list(values, 'search-gpus'), limit: top,
  };
}
