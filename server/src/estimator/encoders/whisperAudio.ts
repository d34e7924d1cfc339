/**
 * Voxtral's audio encoder and adapter (vLLM voxtral.py; the encoder is vLLM's WhisperEncoder, whisper.py): two Conv1d
 * stems (`mel → d`, `d → d`, kernel 3, biased), a `max_source_positions × d` position table, LayerNorm blocks with
 * q/v/o biased and k bias-free, a biased GELU MLP, a final LayerNorm — QKVParallelLinear / RowParallelLinear /
 * ColumnParallelLinear, so each TP rank holds a shard. The adapter (`audio_language_adapter`: `intermediate_size →
 * text → text`, bias-free, the encoder output stacked 4 frames deep) is plain nn.Linear: a full copy on every rank.
 */
import type { EncoderTower } from '../modelSpec';
import type { EncoderReader } from './types';
import { linear, norm, num, sub } from './vitParams';

export const whisperAudio: EncoderReader = {
  name: 'Voxtral audio encoder',
  matches: (raw, architecture) => architecture === 'VoxtralForConditionalGeneration' || raw.model_type === 'voxtral',
  read(raw, textHidden): EncoderTower[] | undefined {
    const a = sub(raw, 'audio_config');
    if (!a) return undefined;
    const d = num(a.hidden_size);
    const inter = num(a.intermediate_size);
    const depth = num(a.num_hidden_layers);
    const mels = num(a.num_mel_bins);
    const positions = num(a.max_source_positions);
    const text = num(textHidden);
    if (!d || !inter || !depth || !mels || !positions || !text) return undefined;
    const block = 2 * norm(d, 'layer') + 4 * d * d + 3 * d + linear(d, inter, true) + linear(inter, d, true);
    const encoder = mels * 3 * d + d + 3 * d * d + d + positions * d + depth * block + norm(d, 'layer');
    const adapter = linear(inter, text, false) + linear(text, text, false);
    return [
      { params: encoder, sharding: 'tp', source: 'Voxtral Whisper audio encoder (vLLM voxtral.py → whisper.py WhisperEncoder, parallel linears): TP-sharded' },
      { params: adapter, sharding: 'replicated', source: 'Voxtral audio-language adapter (vLLM voxtral.py, nn.Linear): a full copy on every rank' },
    ];
  },
};
