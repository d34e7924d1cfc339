/** Realistic Kubernetes manifests of a given size for the typing-path benchmark: serving Deployments among Services and ConfigMaps. */
const MODELS = ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen2.5-7B-Instruct', 'mistralai/Mistral-7B-Instruct-v0.3', 'google/gemma-2-9b-it', 'Qwen/Qwen3-32B'];

function deployment(i: number): string {
  const model = MODELS[i % MODELS.length];
  const tp = i % 5 === 4 ? 2 : 1;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: llm-${i}
  labels:
    app: llm-${i}
    team: serving
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app: llm-${i}
  template:
    metadata:
      labels:
        app: llm-${i}
    spec:
      nodeSelector:
        nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.10.1
          args:
            - "--model"
            - "${model}"
            - "--tensor-parallel-size"
            - "${tp}"
            - "--max-model-len"
            - "${8192 * (1 + (i % 4))}"
            - "--gpu-memory-utilization"
            - "0.90"
          ports:
            - containerPort: 8000
          resources:
            limits:
              nvidia.com/gpu: "${tp}"
          readinessProbe:
            httpGet:
              path: /health
              port: 8000
`;
}

function service(i: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: llm-${i}
spec:
  selector:
    app: llm-${i}
  ports:
    - port: 80
      targetPort: 8000
`;
}

function configMap(i: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${i}
data:
  LOG_LEVEL: info
  MAX_QUEUE: "${100 + i}"
  FEATURE_FLAGS: "a,b,c"
`;
}

/** About `lines` lines: one serving Deployment per ~four objects. */
export function manifest(lines: number): string {
  const docs: string[] = [];
  let n = 0;
  for (let i = 0; n < lines; i++) {
    const d = i % 4 === 0 ? deployment(i / 4) : i % 4 === 1 ? service(i) : configMap(i);
    docs.push(d);
    n += d.split('\n').length;
  }
  return docs.join('---\n');
}
