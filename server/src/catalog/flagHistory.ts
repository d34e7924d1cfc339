/**
 * Serving flags the engines deprecated, renamed or removed, by release: what a file still carrying one gets from the
 * engine version in force (the image tag, an `engine-version=` directive, deployAdvisor.engineVersion), and how to
 * write it for that version. Only changes with a source are listed (release notes, the engine's own parser or config
 * text); where the release of a change is not known exactly the entry says so and takes the release by which it had
 * certainly happened, so that no finding is made on a version that still accepts the flag as it was.
 *
 * Versions compare as major.minor.patch (`0.10.1.1` and `0.10.1` are the same release here).
 */
import type { EngineName } from '../plan/types';

/** What the engine does with the flag from a given release on. */
export type FlagEffect =
  /** Accepted, with a deprecation warning; it still does what it did. */
  | 'warned'
  /** Accepted and ignored: it no longer does anything (or only what the default now does). */
  | 'ignored'
  /** Its argument parser rejects it ("unrecognized arguments"): the server does not start. */
  | 'refused';

/** How to write the flag for a release that changed it (option names in the engine's canonical dash spelling). */
export type FlagReplacement =
  /** The same value under a new name. */
  | { kind: 'rename'; to: string }
  /** Nothing replaces it: delete the option (`because` says why that keeps the behaviour). */
  | { kind: 'remove'; because: string }
  /** A switch that became an option with a value: `--enable-deepep-moe` → `--moe-a2a-backend deepep`. */
  | { kind: 'switch-to-value'; to: string; value: string }
  /** A switch that became a size the plan states elsewhere: `--enable-ep-moe` → `--ep-size <tp>`. */
  | { kind: 'switch-to-size'; to: string; sizeOf: 'tensorParallel' }
  /** A new name whose values map one by one, some with a second option added (`--task embed` → `--runner pooling
   *  --convert embed`); a value mapped to null is the default and the option goes. */
  | { kind: 'values'; to: string; values: Record<string, { value: string; add?: Array<{ name: string; value: string }> } | null> }
  /** Flat options folded into one JSON option: `--speculative-model X --num-speculative-tokens 5` →
   *  `--speculative-config '{"model": "X", "num_speculative_tokens": 5}'`. `field` is this flag's key in the JSON. */
  | { kind: 'into-json'; to: string; field: string; numeric?: boolean };

export interface FlagChange {
  engine: EngineName;
  /** The flag as the engine spelled it (dashes; `_` spellings and TGI's environment variables match too). */
  flag: string;
  /** First release that warns about it or ignores it (absent: it went without a deprecation window). */
  deprecatedIn?: string;
  /** What that release does with it. */
  deprecatedEffect?: Exclude<FlagEffect, 'refused'>;
  /** First release that no longer has it; absent when no release is known to have dropped it. */
  removedIn?: string;
  /** What that release does with it. */
  removedEffect?: FlagEffect;
  replacement: FlagReplacement;
  /** Why, in one sentence for the message ("V0-only scheduler option"). */
  why: string;
}

/** V0-only scheduler options: vLLM V1 (the default engine from v0.8.0, the only one from v0.11.0) has none of them. */
const V0_ONLY_REMOVAL = 'vLLM V1 (the default engine since v0.8.0, the only one since v0.11.0) has no such option';

export const flagHistory: FlagChange[] = [
  // --- vLLM ---------------------------------------------------------------------------------------------------
  // --runner / --convert replaced --task in v0.10.1 (docs.vllm.ai v0.10.0 vs v0.10.1 pooling and engine-args pages; the
  // ModelConfig deprecation text: "The `task` option has been deprecated … Please use `runner` and `convert` instead").
  // No --task in the parser at vllm-project/vllm@a78dc92f vllm/engine/arg_utils.py (≈ v0.13). Values as vLLM translated
  // them itself (ModelConfig._task_to_convert): generate/transcription run the generate runner; embed/embedding,
  // classify, reward convert under the pooling runner; score picks classify or embed by the architecture, as the
  // pooling runner's auto convert does.
  {
    engine: 'vllm', flag: 'task', deprecatedIn: '0.10.1', deprecatedEffect: 'warned', removedIn: '0.13.0', removedEffect: 'refused',
    why: '--task was replaced by --runner and --convert',
    replacement: {
      kind: 'values', to: 'runner',
      values: {
        auto: null,
        generate: { value: 'generate' }, transcription: { value: 'generate' },
        embed: { value: 'pooling', add: [{ name: 'convert', value: 'embed' }] },
        embedding: { value: 'pooling', add: [{ name: 'convert', value: 'embed' }] },
        classify: { value: 'pooling', add: [{ name: 'convert', value: 'classify' }] },
        reward: { value: 'pooling', add: [{ name: 'convert', value: 'reward' }] },
        score: { value: 'pooling' },
      },
    },
  },
  // The flat speculative options were folded into --speculative-config (a JSON SpeculativeConfig, config-formats.md
  // §1.2, `config/speculative.py@f19b16d` field names). The consolidation is recalled as a v0.8.x change without a
  // deprecation window (not re-read); v0.9's dataclass-generated parser certainly has none of them, so 0.9.0 is used.
  { engine: 'vllm', flag: 'speculative-model', removedIn: '0.9.0', removedEffect: 'refused', why: 'the speculative options were folded into --speculative-config', replacement: { kind: 'into-json', to: 'speculative-config', field: 'model' } },
  { engine: 'vllm', flag: 'num-speculative-tokens', removedIn: '0.9.0', removedEffect: 'refused', why: 'the speculative options were folded into --speculative-config', replacement: { kind: 'into-json', to: 'speculative-config', field: 'num_speculative_tokens', numeric: true } },
  { engine: 'vllm', flag: 'speculative-draft-tensor-parallel-size', removedIn: '0.9.0', removedEffect: 'refused', why: 'the speculative options were folded into --speculative-config', replacement: { kind: 'into-json', to: 'speculative-config', field: 'draft_tensor_parallel_size', numeric: true } },
  { engine: 'vllm', flag: 'speculative-max-model-len', removedIn: '0.9.0', removedEffect: 'refused', why: 'the speculative options were folded into --speculative-config', replacement: { kind: 'into-json', to: 'speculative-config', field: 'max_model_len', numeric: true } },
  { engine: 'vllm', flag: 'ngram-prompt-lookup-max', removedIn: '0.9.0', removedEffect: 'refused', why: 'the speculative options were folded into --speculative-config', replacement: { kind: 'into-json', to: 'speculative-config', field: 'prompt_lookup_max', numeric: true } },
  { engine: 'vllm', flag: 'ngram-prompt-lookup-min', removedIn: '0.9.0', removedEffect: 'refused', why: 'the speculative options were folded into --speculative-config', replacement: { kind: 'into-json', to: 'speculative-config', field: 'prompt_lookup_min', numeric: true } },
  // V0 scheduler options: V1 became the default in v0.8.0 (RFC vllm-project/vllm#18571) and V0 was removed in v0.11.0
  // (release notes v0.11.0); none is an EngineArgs field at @a78dc92f. From v0.8.0 to v0.10 a V0-only setting makes
  // vLLM fall back to V0 (vllm-project/vllm#18115 for --preemption-mode) or is ignored by V1.
  { engine: 'vllm', flag: 'preemption-mode', deprecatedIn: '0.8.0', deprecatedEffect: 'warned', removedIn: '0.11.0', removedEffect: 'refused', why: 'V0-only scheduler option (V1 always preempts by recompute; from v0.8.0 setting it falls back to the V0 engine)', replacement: { kind: 'remove', because: V0_ONLY_REMOVAL } },
  { engine: 'vllm', flag: 'num-scheduler-steps', deprecatedIn: '0.8.0', deprecatedEffect: 'warned', removedIn: '0.11.0', removedEffect: 'refused', why: 'V0-only multi-step scheduling', replacement: { kind: 'remove', because: V0_ONLY_REMOVAL } },
  { engine: 'vllm', flag: 'multi-step-stream-outputs', deprecatedIn: '0.8.0', deprecatedEffect: 'ignored', removedIn: '0.11.0', removedEffect: 'refused', why: 'V0-only multi-step scheduling', replacement: { kind: 'remove', because: V0_ONLY_REMOVAL } },
  { engine: 'vllm', flag: 'num-lookahead-slots', deprecatedIn: '0.8.0', deprecatedEffect: 'ignored', removedIn: '0.11.0', removedEffect: 'refused', why: 'V0-only speculative lookahead (V1 reserves num_speculative_tokens slots itself)', replacement: { kind: 'remove', because: V0_ONLY_REMOVAL } },
  // Block manager v2 became the only one in v0.6.2 and the switch a no-op (recalled from the v0.6.2 release notes, not
  // re-read); gone with V0.
  { engine: 'vllm', flag: 'use-v2-block-manager', deprecatedIn: '0.6.2', deprecatedEffect: 'ignored', removedIn: '0.11.0', removedEffect: 'refused', why: 'block manager v2 is the only one', replacement: { kind: 'remove', because: 'it is what vLLM always does' } },
  // swap_space is still a CacheConfig field in the ≈ v0.13 snapshot (`@a78dc92f` arg_utils, `@c1d86421` cache.py) but
  // only V0 swapped KV to host memory; V1 (the only engine from v0.11.0) preempts by recompute. It is absent from the
  // 2026 CacheConfig, in a release not confirmed, so no removal is listed.
  { engine: 'vllm', flag: 'swap-space', deprecatedIn: '0.11.0', deprecatedEffect: 'ignored', why: 'only the V0 engine swapped KV to host memory; V1 preempts by recompute', replacement: { kind: 'remove', because: 'V1 allocates no swap space (newer releases drop the option)' } },
  // "[DEPRECATED] Prompt adapter has been removed … no effect" (docs.vllm.ai/en/v0.10.1/configuration/engine_args.html).
  { engine: 'vllm', flag: 'enable-prompt-adapter', deprecatedIn: '0.10.1', deprecatedEffect: 'ignored', why: 'prompt adapters were removed', replacement: { kind: 'remove', because: 'it has no effect' } },
  // Deprecated "will be removed in v0.12.0" (vllm-project/vllm@01230b40 vllm/config/lora.py, the v0.11 line); absent from
  // the newest LoRAConfig; vllm-project/vllm#28382 removed extra vocabulary from the models.
  { engine: 'vllm', flag: 'lora-extra-vocab-size', deprecatedIn: '0.11.0', deprecatedEffect: 'warned', removedIn: '0.12.0', removedEffect: 'refused', why: 'LoRA adapters no longer add vocabulary', replacement: { kind: 'remove', because: 'adapters no longer extend the vocabulary' } },
  // Request logging became opt-in (--enable-log-requests) and --disable-log-requests deprecated in mid-2025; downstream
  // docs drop it as "deprecated config" in Sep 2025 (triton-inference-server/tutorials#142). The first release is not
  // re-read: v0.11.0, by which it had certainly happened, is used. Removing it keeps logging off, as the default now is.
  { engine: 'vllm', flag: 'disable-log-requests', deprecatedIn: '0.11.0', deprecatedEffect: 'warned', why: 'request logging is off by default (--enable-log-requests turns it on)', replacement: { kind: 'remove', because: 'request logging is already off by default' } },

  // --- SGLang -------------------------------------------------------------------------------------------------
  // server_args deprecation texts (serving-features.md §7.2, index id 53577495653): --enable-ep-moe sets ep_size =
  // tp_size with a warning; --enable-deepep-moe → --moe-a2a-backend deepep. The release is recalled as ≤ 0.5.0 (the
  // MoE backend refactor of mid-2025); a 0.5.3rc1 recipe still passes --enable-ep-moe (silicon-launch-recipes.md).
  { engine: 'sglang', flag: 'enable-ep-moe', deprecatedIn: '0.5.0', deprecatedEffect: 'warned', why: 'expert parallelism is set by its size', replacement: { kind: 'switch-to-size', to: 'ep-size', sizeOf: 'tensorParallel' } },
  { engine: 'sglang', flag: 'enable-deepep-moe', deprecatedIn: '0.5.0', deprecatedEffect: 'warned', why: 'the all-to-all backend is chosen by --moe-a2a-backend', replacement: { kind: 'switch-to-value', to: 'moe-a2a-backend', value: 'deepep' } },

  // --- TGI ----------------------------------------------------------------------------------------------------
  // launcher/src/main.rs (`huggingface/text-generation-inference@db931fc`): `max_input_length` is the "Legacy version of
  // [`Args::max_input_tokens`]"; setting both is an error. max_input_tokens arrived with TGI 2.0.0 (recalled, not
  // re-read). Still accepted in 3.x: a deprecation only.
  { engine: 'tgi', flag: 'max-input-length', deprecatedIn: '2.0.0', deprecatedEffect: 'warned', why: 'it is the legacy name of --max-input-tokens', replacement: { kind: 'rename', to: 'max-input-tokens' } },
];

/** `v0.10.1.1`, `0.5.0rc2`, `3.0.1-intel` → [0, 10, 1]; undefined without a major.minor. */
export function releaseOf(v: string): number[] | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function compareRelease(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return Math.sign(a[i] - b[i]);
  return 0;
}

export const atOrAfter = (v: number[], release: string | undefined): boolean => !!release && compareRelease(v, releaseOf(release)!) >= 0;

/** The flag's state in a release: current (no finding), deprecated (accepted) or removed. */
export type FlagState = { state: 'current' } | { state: 'deprecated' | 'removed'; effect: FlagEffect; since: string };

export function flagState(change: FlagChange, version: number[]): FlagState {
  if (atOrAfter(version, change.removedIn)) return { state: 'removed', effect: change.removedEffect ?? 'refused', since: change.removedIn! };
  if (atOrAfter(version, change.deprecatedIn)) return { state: 'deprecated', effect: change.deprecatedEffect ?? 'warned', since: change.deprecatedIn! };
  return { state: 'current' };
}

/** Normalizes a spelling of an option to the table's: `--Max_Input_Length`, `MAX_INPUT_LENGTH`, `max-input-length`. */
export const flagSpelling = (key: string): string => key.trim().replace(/^-+/, '').replace(/_/g, '-').toLowerCase();

const byEngine = new Map<EngineName, Map<string, FlagChange>>();
for (const c of flagHistory) {
  if (!byEngine.has(c.engine)) byEngine.set(c.engine, new Map());
  byEngine.get(c.engine)!.set(c.flag, c);
}

/** The history of an option the file spells `key`, if the engine ever changed it. */
export function flagChange(engine: EngineName, key: string): FlagChange | undefined {
  return byEngine.get(engine)?.get(flagSpelling(key));
}

/** A flag that exists only from a release on: an older release refuses to start on it ("unrecognized arguments"). */
export interface FlagIntroduction {
  engine: EngineName;
  flag: string;
  introducedIn: string;
  /** How the older releases said it, for the message. */
  before: string;
}

export const flagIntroductions: FlagIntroduction[] = [
  // docs.vllm.ai v0.10.0 (only --task) vs v0.10.1 (--runner, --convert): the same change as the --task entry above.
  { engine: 'vllm', flag: 'runner', introducedIn: '0.10.1', before: '--task (generate, embed, classify, score, reward)' },
  { engine: 'vllm', flag: 'convert', introducedIn: '0.10.1', before: '--task (embed, classify, reward)' },
];

/** The release an option first appeared in, when the table knows it. */
export function flagIntroduction(engine: EngineName, key: string): FlagIntroduction | undefined {
  return flagIntroductions.find((i) => i.engine === engine && i.flag === flagSpelling(key));
}
