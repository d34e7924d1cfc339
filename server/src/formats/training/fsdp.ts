/**
 * FSDP settings in the Trainer's / axolotl's shape: the option list (`fsdp: [full_shard, auto_wrap]` or
 * `"full_shard auto_wrap offload"`) plus `fsdp_config` (FSDP1 `fsdp_*` keys or FSDP2 bare keys, `fsdp_version: 2`).
 */
import type { ShardingKnobs } from '../../plan/training';
import { byDefault } from '../../plan/types';
import type { SourceRange, Sourced } from '../../plan/types';
import { didYouMean } from '../../text/didYouMean';
import { fsdpOptions, fsdpStrategy, fsdpStrategyNames } from './sharding';
import type { Values } from './values';

const OPTION_WORDS = ['full_shard', 'shard_grad_op', 'hybrid_shard', 'hybrid_shard_zero2', 'no_shard', 'offload', 'auto_wrap'];

export function fsdpFrom(values: Values, root: unknown): { sharding?: ShardingKnobs; checkpointing?: Sourced<boolean> } {
  const listEntry = values.entry(root, 'fsdp');
  let tokens: Sourced<string[]> | undefined;
  if (listEntry && (listEntry.value === true || listEntry.value === false)) {
    // TrainingArguments takes a bool too: true = full_shard (training_args.py: `if self.fsdp is True: self.fsdp = [FSDPOption.FULL_SHARD]`).
    tokens = listEntry.value ? values.at(['full_shard'], listEntry, 'fsdp') : undefined;
  } else {
    tokens = values.list(root, 'fsdp');
  }
  const config = values.map(root, 'fsdp_config')?.node;
  const version = values.int(root, 'fsdp_version') ?? (config ? values.int(config, 'fsdp_version', 'fsdp_config') ?? values.int(config, 'version', 'fsdp_config') : undefined);
  const opts = tokens ? fsdpOptions(tokens.value) : undefined;
  for (const u of opts?.unknown ?? []) {
    const meant = didYouMean(u, OPTION_WORDS);
    values.problem('error', `"${u}" is not an FSDP option${meant ? ` — did you mean "${meant}"?` : ` (${OPTION_WORDS.join(', ')})`}`, (tokens!.source as { range: SourceRange }).range);
  }
  let stage: Sourced<0 | 1 | 2 | 3> | undefined;
  let hybrid: boolean | undefined;
  if (opts?.strategy) {
    stage = { value: opts.strategy.stage, source: tokens!.source };
    hybrid = opts.strategy.hybrid;
  }
  if (config) {
    const s = values.first(config, ['fsdp_sharding_strategy', 'sharding_strategy']);
    if (s && s.entry.value !== null) {
      const st = fsdpStrategy(s.entry.value);
      if (st) {
        stage = values.at(st.stage, s.entry, `fsdp_config.${s.key}`);
        hybrid = st.hybrid;
      } else {
        values.problem('error', `fsdp_config.${s.key} must be one of ${fsdpStrategyNames.join(', ')} (or 1–5).`, values.valueRange(s.entry));
      }
    }
    const r = values.first(config, ['reshard_after_forward', 'fsdp_reshard_after_forward']);
    const reshard = r ? values.bool(config, r.key, 'fsdp_config') : undefined;
    if (reshard && !s) stage = { value: reshard.value ? 3 : 2, source: reshard.source };
  }
  const enabled = !!(opts?.strategy || opts?.offload || (tokens && tokens.value.length) || version || (config && stage));
  if (!enabled) return {};
  const sharding: ShardingKnobs = { kind: 'fsdp', stage: stage ?? byDefault(3, 'FSDP with no sharding strategy: FULL_SHARD (the FSDP default)') };
  if (hybrid) sharding.hybrid = true;
  let offload: Sourced<boolean> | undefined = opts?.offload ? { value: true, source: tokens!.source } : undefined;
  if (config) {
    const o = values.first(config, ['fsdp_offload_params', 'offload_params']);
    const b = o ? values.bool(config, o.key, 'fsdp_config') : undefined;
    if (b) offload = b;
  }
  if (offload) {
    // FSDP CPUOffload(offload_params=True) keeps parameters and gradients on the CPU and runs the step there.
    const dev = { value: offload.value ? ('cpu' as const) : ('none' as const), source: offload.source };
    sharding.offloadParams = dev;
    sharding.offloadOptimizer = dev;
  }
  let checkpointing: Sourced<boolean> | undefined;
  if (config) {
    const a = values.first(config, ['activation_checkpointing', 'fsdp_activation_checkpointing']);
    checkpointing = a ? values.bool(config, a.key, 'fsdp_config') : undefined;
  }
  return { sharding, checkpointing };
}
