import type { EngineName } from '../../plan/types';
import { sglang } from './sglang';
import { tei } from './tei';
import { tgi } from './tgi';
import { trtllm } from './trtllm';
import type { EngineModel } from './types';
import { vllm } from './vllm';

export const engines: Record<EngineName, EngineModel> = { vllm, sglang, trtllm, tgi, tei };
