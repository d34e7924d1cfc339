/** The text `deploy-advisor --help` prints (and, with exit status 2, a bare `deploy-advisor`). */
export const HELP = `deploy-advisor — GPU memory and latency estimates for LLM deployments

Usage:
  deploy-advisor estimate <file> [options]   estimate a config.json, a folder holding one, a vLLM config YAML,
                                             or a model id from the built-in catalog
  deploy-advisor optimize <file> [options]   the cheapest plans (GPU × count × TP/PP/EP × precision × batch × engine)
                                             that meet the SLO, ranked by cost per million output tokens
  deploy-advisor report <file> --html OUT      the visual report (memory, KV, latency curves, what-ifs) as one
                                             self-contained HTML file; takes the estimate options too
  deploy-advisor evidence [family]           the technique catalog: what each technique does, when, its caveats,
                                             and the seed papers behind it (families: kv-quantization, ...)
  deploy-advisor train <file|model> [options]   a fine-tuning job: peak memory per GPU by component, fits or
                                             not, step time and tokens/s (deploy-advisor train --help for its flags)
  deploy-advisor --help | --version

Options:
  --gpu NAME                 GPU (H100, h100_sxm, A100-80GB, L40S, "NVIDIA H100 80GB HBM3", ...)
  --gpus N                   GPUs per replica (used as tensor parallel when no parallelism is given)
  --engine vllm|sglang|trtllm|tgi|tei
  --engine-version X.Y       version-dependent defaults and KV budget (default: newest modelled)
  --input-len N              prompt tokens per request (default 1024)
  --output-len N             output tokens per request (default 256)
  --concurrency N|max        requests in flight (default 1; max = what KV and max-num-seqs allow)
  --request-rate R           instead of --concurrency: requests/s arriving steadily (open loop), per replica
  --ttft-ms X  --tpot-ms Y  --min-throughput T   an SLO to check (slo-miss, with the fixes that meet it)
  --benchmark vllm-bench|aiperf   report latency as this client would (vllm bench serve / benchmark_serving.py;
                             aiperf / genai-perf concurrency mode), at --concurrency as its --max-concurrency
  --num-prompts N            measured requests in all (default: vllm-bench 1000, aiperf 10, else 10 × concurrency)
  --random-range-ratio F     lengths uniform in [F × L, L] (benchmark_serving.py as InferenceX runs it; default 1)
  --num-warmups N            warm-up requests, run first and excluded (default 0)
  --statistic mean|median|p90   the figure reported over the requests (default mean)
  --json                     print the estimate as JSON (an array for multi-workload files)
What-if knobs (override the file):
  --tensor-parallel N  --pipeline-parallel N  --expert-parallel N  --data-parallel N  --quantization fp8|awq|gptq|...
  --attention-data-parallel  DP attention (TensorRT-LLM enable_attention_dp; SGLang --enable-dp-attention, ranks
                             from --data-parallel)
  --kv-cache-dtype auto|fp8|...  --max-model-len N  --gpu-memory-utilization F  --max-num-seqs N
  --max-num-batched-tokens N
  --speculative-method ngram|eagle|eagle3|mtp|draft_model  --num-speculative-tokens K  --acceptance-rate A
  --prefix-hit-rate F        fraction of prompt tokens served from the prefix cache (0..1)
  --gpus-file PATH           JSON array of GPUs adding to or overriding the catalog
  --hub                      fetch config.json of model ids outside the catalog from the Hugging Face Hub
                             (HF_ENDPOINT, HF_TOKEN honoured; cached in ~/.cache/deploy-advisor/hub); off by default
Optimize options (override the workload and SLO the file states):
  --input-len N  --output-len N  --concurrency N | --request-rate R   (across all replicas)
  --ttft-ms X  --tpot-ms Y  --min-throughput T (output tokens/s)
  --gpus GPU1,GPU2,...       GPU types to consider (default: the whole catalog)
  --max-gpus N               GPUs across all replicas (default 8)
  --engine NAME              search one engine only  --gpus-file PATH  --json
Exit status (estimate and report alike): 0 when every workload fits, 1 when one does not fit or will not start, 2 on usage or input
errors (also when no workload could be estimated). optimize: 0 when a plan meets the SLO, 1 when none does, 2 on usage errors.`;
