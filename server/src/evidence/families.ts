/**
 * Technique families a deployment can use, in our own words: what each does, when it applies, and what it costs.
 * The papers behind each family (exact titles, seed files, the numbers their abstracts state) are in papers.json,
 * regenerated from the seed catalog by scripts/build-evidence.py; test/calibration/evidence.test.ts checks every
 * title and number against the seed abstracts.
 */
export type FamilyId =
  | 'kv-quantization' | 'weight-quantization' | 'prefix-caching' | 'chunked-prefill' | 'continuous-batching'
  | 'speculative-decoding' | 'disaggregation' | 'parallelism' | 'data-parallelism' | 'expert-parallelism' | 'context-length'
  | 'memory-utilization' | 'hardware-choice' | 'offloading' | 'kv-eviction' | 'context-encoding' | 'serving-engines'
  | 'layer-skipping' | 'pruning-distillation-nas' | 'efficient-attention' | 'estimation' | 'moe-architecture'
  | 'cnn-vit-quantization' | 'token-reduction' | 'diffusion-serving' | 'encoders' | 'recommendation' | 'on-device'
  | 'training-efficiency';

export interface Family {
  id: FamilyId;
  name: string;
  /** What it does to a deployment. */
  summary: string;
  /** When it pays off. */
  conditions: string;
  /** What can go wrong. */
  caveats: string;
  /**
   * Set when no seed paper tests this exact change: starts "No seed paper measures …" and says which evidence is
   * nearest, or that the advice rests on the arithmetic shown with it when none is.
   */
  evidenceGap?: string;
  /** Model kinds it is for (LLM families apply to decoder LLMs). */
  appliesTo: Array<'llm' | 'vision' | 'diffusion' | 'encoder' | 'recsys' | 'edge'>;
}

export const families: Record<FamilyId, Family> = {
  'kv-quantization': {
    id: 'kv-quantization', name: 'KV-cache quantization and mixed-precision KV', appliesTo: ['llm'],
    summary: 'Stores keys and values in fewer bits (FP8 halves KV bytes per token), so the same pool holds more tokens: longer contexts or more concurrent requests.',
    conditions: 'Pays off when KV capacity, not weights or compute, limits the batch (long contexts, many users); on Hopper, Ada and Blackwell FP8 attention kernels read the smaller cache directly.',
    caveats: 'Quality can drop on long-context retrieval, more so below 8 bits; without scales calibrated for the checkpoint, vLLM uses a scale of 1.0.',
    evidenceGap: 'No seed paper measures the engines\' FP8 KV cache itself; the nearest evidence is work that stores the KV in fewer bits (mixed-precision KV, low-rank KV combined with quantization), cited as such.',
  },
  'weight-quantization': {
    id: 'weight-quantization', name: 'Weight quantization (FP8, INT8, W4A16 AWQ/GPTQ, FP4)', appliesTo: ['llm'],
    summary: 'Stores weights in 8 or 4 bits: fewer GPUs for the same model, more room for KV, and faster weight-bound decoding (FP8 also speeds up prefill on GPUs with FP8 tensor cores).',
    conditions: 'FP8 suits Hopper/Ada/Blackwell with little quality loss; 4-bit weight-only formats suit memory-bound, small-batch serving and older GPUs.',
    caveats: 'Low-bit quantization can hurt small or heavily-trained models more than large ones; 4-bit weight-only kernels lose their advantage at large batch, where math dominates.',
  },
  'prefix-caching': {
    id: 'prefix-caching', name: 'Prefix caching and KV reuse', appliesTo: ['llm'],
    summary: 'Keeps the KV of prompt prefixes (system prompts, chat history, shared documents) and skips their prefill on later requests.',
    conditions: 'Chat, agents and RAG with repeated prefixes; the gain grows with the shared fraction of each prompt.',
    caveats: 'Cached blocks compete with running requests for the pool; reuse of non-prefix chunks (RAG) needs extra handling to keep quality.',
    evidenceGap: 'No seed paper measures the engines\' automatic prefix caching itself; the nearest evidence is work that reuses the precomputed KV of a context instead of prefilling it again, cited as such.',
  },
  'chunked-prefill': {
    id: 'chunked-prefill', name: 'Chunked prefill and piggybacked decodes', appliesTo: ['llm'],
    summary: 'Splits long prompts into chunks that share each engine step with running decodes, so a long prompt no longer stalls everyone\'s next token.',
    conditions: 'Mixed long-prompt workloads with latency targets on time per output token.',
    caveats: 'Very small chunks lengthen time to first token for long prompts; the token budget per step sets the trade-off.',
  },
  'continuous-batching': {
    id: 'continuous-batching', name: 'Continuous batching and scheduler knobs', appliesTo: ['llm'],
    summary: 'Admits and retires requests at every step instead of per batch; max-num-seqs and the token budget bound the batch.',
    conditions: 'Any online serving with varied output lengths.',
    caveats: 'A batch larger than the KV cache can hold leads to preemption and recomputation.',
    evidenceGap: 'No seed paper measures setting max-num-seqs to what the KV cache holds; the nearest evidence is work on the cost of preemption when the batch outgrows the KV cache and a study of how vLLM\'s batching settings shape throughput, cited as such.',
  },
  'speculative-decoding': {
    id: 'speculative-decoding', name: 'Speculative and parallel decoding', appliesTo: ['llm'],
    summary: 'A cheap drafter (n-grams, a small model, extra heads) proposes several tokens; the model verifies them in one step, emitting more than one token per step when drafts are accepted.',
    conditions: 'Latency-bound serving at low to moderate concurrency, where decode steps are weight-bandwidth-bound and spare compute exists.',
    caveats: 'Gains shrink at high batch and with low acceptance; drafters add memory and can slow steps when drafts are mostly rejected.',
  },
  disaggregation: {
    id: 'disaggregation', name: 'Prefill/decode disaggregation', appliesTo: ['llm'],
    summary: 'Runs prompt processing and token generation on separate GPUs (or partitions), each sized and batched for its phase, and moves the KV between them.',
    conditions: 'Large deployments with strict TTFT and TPOT targets at once, and fast interconnect for the KV transfer.',
    caveats: 'Needs a KV transfer path (NIXL, NCCL) and more operational complexity; small deployments rarely gain.',
  },
  parallelism: {
    id: 'parallelism', name: 'Tensor and pipeline parallelism for serving', appliesTo: ['llm'],
    summary: 'Splits each layer (tensor) or the layer stack (pipeline) across GPUs: more memory for KV and lower per-GPU weight traffic.',
    conditions: 'Tensor parallelism inside an NVLink node; pipeline parallelism across nodes.',
    caveats: 'Tensor parallelism adds two all-reduces per layer (slow over PCIe or network); pipeline parallelism adds bubbles at low batch. Papers on training-time parallelism are listed under training efficiency, not here.',
  },
  'data-parallelism': {
    id: 'data-parallelism', name: 'Data-parallel ranks and data-parallel attention', appliesTo: ['llm'],
    summary: 'Gives each rank its own requests and KV pool; data-parallel attention does so inside the TP group, so a latent (MLA) cache is no longer copied on every GPU.',
    conditions: 'MLA models (DeepSeek) and MoE models with few KV heads at high concurrency (SGLang, TensorRT-LLM).',
    caveats: 'Replicates the attention weights on every rank and idles ranks when load is uneven.',
    evidenceGap: 'No seed paper measures data-parallel ranks or data-parallel attention; the advice rests on the KV arithmetic shown with it.',
  },
  'context-length': {
    id: 'context-length', name: 'Context length and the KV pool', appliesTo: ['llm'],
    summary: 'The longest request (max-model-len) must fit the KV pool; a shorter limit lets the engine start and leaves room for more concurrent requests.',
    conditions: 'When the workload\'s prompts and outputs are much shorter than the model\'s context window.',
    caveats: 'Requests longer than the new limit are rejected; keep it above the workload\'s longest prompt plus output.',
    evidenceGap: 'No seed paper measures lowering max-model-len; the nearest evidence is an analysis of how context length sets the KV cache size and so the number of concurrent users a GPU serves, cited as such.',
  },
  'memory-utilization': {
    id: 'memory-utilization', name: 'GPU memory fraction for the engine', appliesTo: ['llm'],
    summary: 'The fraction of GPU memory the engine takes (gpu-memory-utilization, mem-fraction-static): what weights and activations leave of it is the KV pool.',
    conditions: 'Raise it on a GPU the engine has to itself; lower it when other processes share the GPU.',
    caveats: 'Near 1 nothing is left for CUDA graphs captured after profiling, allocator fragmentation or other processes: out-of-memory at start or under load.',
    evidenceGap: 'No seed paper measures the engines\' memory-utilization setting; the advice rests on the memory arithmetic shown with it.',
  },
  'hardware-choice': {
    id: 'hardware-choice', name: 'Choosing the GPU and platform', appliesTo: ['llm'],
    summary: 'Which GPU type and count serve a model and workload: memory capacity sets what fits, bandwidth the decode speed, compute the prefill.',
    conditions: 'Before buying or reserving GPUs, and when the KV pool or the speed far exceeds what the workload needs.',
    caveats: 'Prices and availability vary by provider; analytical comparisons miss engine overheads unless calibrated.',
    evidenceGap: 'No seed paper measures moving a deployment to a cheaper GPU; the nearest evidence is analysis and benchmarks of LLM inference across platforms, cited as such.',
  },
  'expert-parallelism': {
    id: 'expert-parallelism', name: 'Expert parallelism and MoE serving', appliesTo: ['llm'],
    summary: 'Places whole experts of a mixture-of-experts model on different GPUs and routes tokens to them by all-to-all.',
    conditions: 'Large MoE models (DeepSeek, Qwen3-MoE, Mixtral) at high batch, where every expert sees tokens.',
    caveats: 'Skewed routing overloads some GPUs; all-to-all traffic needs fast links; small batches waste expert bandwidth.',
  },
  offloading: {
    id: 'offloading', name: 'Offloading to CPU memory or storage at inference', appliesTo: ['llm'],
    summary: 'Moves weights, KV or attention to host memory, storage or cheaper devices when GPU memory is short.',
    conditions: 'Throughput-oriented or single-GPU settings where the alternative is not running at all.',
    caveats: 'Every step pays PCIe or storage transfers: latency rises sharply; rarely right for interactive serving.',
  },
  'kv-eviction': {
    id: 'kv-eviction', name: 'KV eviction and compression (research)', appliesTo: ['llm'],
    summary: 'Drops or merges the KV of tokens judged unimportant so long contexts fit a fixed cache.',
    conditions: 'Very long contexts under hard memory limits, when some loss of recall is acceptable.',
    caveats: 'Evicted tokens are gone: answers that need them degrade (context loss); not available as a standard engine knob.',
  },
  'context-encoding': {
    id: 'context-encoding', name: 'Parallel context encoding (research)', appliesTo: ['llm'],
    summary: 'Encodes retrieved documents independently and caches their KV, then combines them at request time instead of one sequential prefill over all of them.',
    conditions: 'RAG and many-shot prompts that combine different documents per request.',
    caveats: 'Not an engine knob; independently encoded contexts need alignment to keep quality. It is not prefix caching, which reuses only an identical prefix.',
  },
  'serving-engines': {
    id: 'serving-engines', name: 'Serving-engine designs (research)', appliesTo: ['llm'],
    summary: 'Engine internals that raise throughput: overlapping compute, memory and network inside one GPU, packing prompts without padding, co-serving fine-tuning.',
    conditions: 'Choosing or tuning an engine; none of these is a setting of the engines modelled here.',
    caveats: 'Gains measured against one engine version rarely carry over as-is.',
  },
  'layer-skipping': {
    id: 'layer-skipping', name: 'Layer skipping and early exit', appliesTo: ['llm', 'vision'],
    summary: 'Runs fewer layers for easy tokens or inputs, saving compute per token.',
    conditions: 'Models trained or adapted for it; batch-1 latency-critical inference.',
    caveats: 'Needs model changes; batching tokens that exit at different depths is hard in serving engines.',
  },
  'pruning-distillation-nas': {
    id: 'pruning-distillation-nas', name: 'Pruned, distilled, low-rank and NAS-derived models', appliesTo: ['llm', 'vision'],
    summary: 'Serves a smaller model built from the large one (pruning, distillation, low-rank factorization, architecture search) instead of compressing at serving time.',
    conditions: 'When a quality gap is acceptable for large savings in memory and latency, or a task-specific small model suffices.',
    caveats: 'Requires training compute and evaluation on your tasks; unstructured sparsity rarely speeds up GPU serving.',
  },
  'efficient-attention': {
    id: 'efficient-attention', name: 'Efficient attention variants and kernels', appliesTo: ['llm', 'vision'],
    summary: 'Attention designs that cut KV or compute (sliding windows, linear/state-space layers, hybrid local/global layers) and faster attention kernels.',
    conditions: 'Long-context workloads; the choice is made when picking the model, or the engine\'s attention backend.',
    caveats: 'Architecture changes need a model trained for them; quality on retrieval-heavy tasks can differ from full attention.',
  },
  estimation: {
    id: 'estimation', name: 'Performance estimation and modelling', appliesTo: ['llm', 'vision'],
    summary: 'Predicting serving latency and cost from model and hardware descriptions instead of measuring every option.',
    conditions: 'Planning deployments and comparing hardware before buying or launching.',
    caveats: 'Analytical models miss engine overheads and scheduling effects unless calibrated on measurements.',
  },
  'moe-architecture': {
    id: 'moe-architecture', name: 'Mixture-of-experts model designs', appliesTo: ['llm'],
    summary: 'MoE architectures and routers that change how many experts a token uses or how experts share parameters.',
    conditions: 'Choosing or training a model; serving MoE models is under expert parallelism.',
    caveats: 'Needs a model trained with the design.',
  },
  'cnn-vit-quantization': {
    id: 'cnn-vit-quantization', name: 'CNN and ViT quantization', appliesTo: ['vision', 'edge'],
    summary: 'Integer or mixed-precision quantization of convolutional and vision-transformer models, often with quantization-aware training.',
    conditions: 'Vision inference on accelerators and edge devices with integer units.',
    caveats: 'Very low bit-widths usually need quantization-aware training to hold accuracy.',
  },
  'token-reduction': {
    id: 'token-reduction', name: 'Token reduction for vision and vision-language models', appliesTo: ['vision'],
    summary: 'Prunes or merges redundant image tokens so attention and KV scale with content, not resolution.',
    conditions: 'Vision transformers and VLMs with many image tokens.',
    caveats: 'Aggressive pruning loses fine detail (OCR, small objects).',
  },
  'diffusion-serving': {
    id: 'diffusion-serving', name: 'Image and video generation serving', appliesTo: ['diffusion'],
    summary: 'Fewer denoising steps, caching across steps, pipelined batching and low-bit diffusion models for image and video generation.',
    conditions: 'Interactive or high-volume image/video generation.',
    caveats: 'Step reduction trades image quality; caching across steps needs model-specific tuning.',
  },
  encoders: {
    id: 'encoders', name: 'Encoder and encoder-decoder models', appliesTo: ['encoder'],
    summary: 'Smaller encoder-decoder designs and rebalanced encoders for tasks where a full decoder-only LLM is more than needed.',
    conditions: 'Classification, extraction, translation and retrieval at high volume.',
    caveats: 'Less general than large decoder-only models.',
  },
  recommendation: {
    id: 'recommendation', name: 'Recommendation models', appliesTo: ['recsys'],
    summary: 'Compressed embedding tables and sparse training keep recommendation models within memory and latency budgets.',
    conditions: 'Embedding-dominated models with very large catalogs.',
    caveats: 'Compression of embeddings can cost ranking quality on rare items.',
  },
  'on-device': {
    id: 'on-device', name: 'On-device and edge limits', appliesTo: ['edge'],
    summary: 'Fitting models to phones, edge boxes, FPGAs and accelerators: memory, power and split computing between device and server.',
    conditions: 'Privacy, offline or latency-critical uses away from the datacenter.',
    caveats: 'Small memory forces small or heavily compressed models; accuracy and speed depend on the device\'s kernels.',
  },
  'training-efficiency': {
    id: 'training-efficiency', name: 'Training and fine-tuning systems (not serving advice)', appliesTo: ['llm', 'vision', 'diffusion'],
    summary: 'Parallelism, sharding, offloading and parameter-efficient fine-tuning for training: listed so that no serving advice cites them.',
    conditions: 'Training or fine-tuning a model, not serving it.',
    caveats: 'Training-time results (step time, memory per GPU with optimizer state) do not predict serving latency.',
  },
};
