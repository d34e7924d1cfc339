/**
 * Snippets an empty YAML file offers: one of each file Deploy Advisor reads, so a new user starts from a file that
 * is valid for its tool and estimates as written (test/unit/completion.test.ts expands each with its defaults and
 * reads it back). Snippet syntax: `${1:default}` tab stops, `${1|a,b|}` choices, `$1` mirrors the first.
 */
import { CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, Position } from 'vscode-languageserver';
import type { FormatName } from '../formats/types';

export interface FileSnippet {
  label: string;
  /** The format our readers must read the expanded snippet as. */
  format: FormatName;
  detail: string;
  /** Words to filter on ("vllm", "kubernetes", "deployment", ...). */
  filterText: string;
  body: string;
}

// GPU names as the catalog spells them; each choice fits the 8B default model at the default length.
const GPU_CHOICES = 'H100-SXM,H200,A100-80GB,L40S,L4';
// NVIDIA GPU feature discovery's product labels for the same GPUs (what `kubectl get node -L nvidia.com/gpu.product` shows).
const PRODUCT_CHOICES = 'NVIDIA-H100-80GB-HBM3,NVIDIA-H200,NVIDIA-A100-SXM4-80GB,NVIDIA-L40S,NVIDIA-L4';

export const FILE_SNIPPETS: FileSnippet[] = [
  {
    label: 'vLLM config (vllm serve --config)',
    format: 'vllm',
    detail: 'Deploy Advisor snippet: the options of `vllm serve --config this.yaml`',
    filterText: 'vllm config serve',
    body: [
      '# vllm serve --config <this file>',
      `# deploy-advisor: gpu=\${1|${GPU_CHOICES}|}`,
      'model: ${2:meta-llama/Llama-3.1-8B-Instruct}',
      'tensor-parallel-size: ${3:1}',
      'max-model-len: ${4:8192}',
      'gpu-memory-utilization: ${5:0.9}',
      'enable-prefix-caching: true',
      '$0',
    ].join('\n'),
  },
  {
    label: 'Kubernetes Deployment running vLLM',
    format: 'kubernetes',
    detail: 'Deploy Advisor snippet: apps/v1 Deployment, `vllm serve` with string args, GPU limit and node selector',
    filterText: 'kubernetes deployment vllm k8s',
    body: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: ${1:vllm-llama-8b}',
      '  labels:',
      '    app: $1',
      'spec:',
      '  replicas: ${2:1}',
      '  selector:',
      '    matchLabels:',
      '      app: $1',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: $1',
      '    spec:',
      '      nodeSelector:',
      `        nvidia.com/gpu.product: \${3|${PRODUCT_CHOICES}|}`,
      '      containers:',
      '        - name: vllm',
      '          image: vllm/vllm-openai:${4:latest}',
      '          command: ["vllm", "serve"]',
      '          args:',
      '            - "${5:meta-llama/Llama-3.1-8B-Instruct}"',
      '            - "--tensor-parallel-size"',
      '            - "${6:1}"',
      '            - "--max-model-len"',
      '            - "${7:8192}"',
      '            - "--gpu-memory-utilization"',
      '            - "0.9"',
      '          env:',
      '            - name: HF_TOKEN',
      '              valueFrom:',
      '                secretKeyRef:',
      '                  name: ${8:hf-token}',
      '                  key: token',
      '                  optional: true',
      '          ports:',
      '            - containerPort: 8000',
      '          readinessProbe:',
      '            httpGet:',
      '              path: /health',
      '              port: 8000',
      '            periodSeconds: 10',
      '          resources:',
      '            limits:',
      // One GPU per tensor-parallel rank: the limit mirrors the TP size.
      '              nvidia.com/gpu: "$6"',
      '          volumeMounts:',
      '            - name: shm',
      '              mountPath: /dev/shm',
      '      volumes:',
      // vLLM's workers share tensors through /dev/shm, which a container caps at 64 MiB unless mounted.
      '        - name: shm',
      '          emptyDir:',
      '            medium: Memory',
      '$0',
    ].join('\n'),
  },
  {
    label: 'SGLang config (sglang.launch_server --config)',
    format: 'sglang',
    detail: 'Deploy Advisor snippet: the options of `python -m sglang.launch_server --config this.yaml`',
    filterText: 'sglang config launch_server',
    body: [
      '# python -m sglang.launch_server --config <this file>',
      `# deploy-advisor: gpu=\${1|${GPU_CHOICES}|}`,
      'model-path: ${2:Qwen/Qwen3-8B}',
      'tp-size: ${3:1}',
      'mem-fraction-static: ${4:0.85}',
      'context-length: ${5:8192}',
      'chunked-prefill-size: ${6:8192}',
      '$0',
    ].join('\n'),
  },
  {
    label: 'Deploy Advisor profile (*.deploy.yaml)',
    format: 'profile',
    detail: 'Deploy Advisor snippet: model, hardware, engine, workload and SLO',
    filterText: 'deploy advisor profile',
    body: [
      '# Deploy Advisor profile: what to deploy, on what, under which load and SLO.',
      'name: ${1:chat}',
      'model: ${2:meta-llama/Llama-3.1-8B-Instruct}',
      'hardware:',
      `  gpu: \${3|${GPU_CHOICES}|}`,
      '  count: ${4:1}',
      'engine:',
      '  name: vllm',
      // Options take the engine's own names (these are vLLM's); without max-model-len a request may be as long as
      // the model's context, which does not fit the smaller GPUs.
      '  options:',
      '    max-model-len: ${5:8192}',
      'workload:',
      '  inputLen: ${6:1024}',
      '  outputLen: ${7:256}',
      '  concurrency: ${8:64}',
      'slo:',
      '  ttftMs: ${9:1000}',
      '  tpotMs: ${10:50}',
      '$0',
    ].join('\n'),
  },
];

/** Nothing but blank lines and comments around the cursor, which sits in a word at most (what the user typed). */
export function isEmptyYaml(lines: string[], pos: Position): boolean {
  const line = lines[pos.line] ?? '';
  if (!/^\s*[\w-]*$/.test(line.slice(0, pos.character)) || line.slice(pos.character).trim() !== '') return false;
  return lines.every((l, i) => i === pos.line || l.trim() === '' || /^\s*#/.test(l));
}

/** A snippet as it reads once every tab stop keeps its default (a choice its first option, a mirror its stop's). */
export function expandSnippet(body: string): string {
  const defaults = new Map<string, string>();
  for (const m of body.matchAll(/\$\{(\d+):([^}]*)\}/g)) defaults.set(m[1], m[2]);
  for (const m of body.matchAll(/\$\{(\d+)\|([^,|]*)[^}]*\}/g)) defaults.set(m[1], m[2]);
  return body.replace(/\$\{(\d+)(?::[^}]*|\|[^}]*)?\}|\$(\d+)/g, (_, a: string | undefined, b: string | undefined) => defaults.get(a ?? b ?? '') ?? '');
}

export function emptyFileSnippets(lines: string[], pos: Position): CompletionItem[] {
  const before = (lines[pos.line] ?? '').slice(0, pos.character);
  const start = before.length - before.trimStart().length;
  const range = { start: { line: pos.line, character: start }, end: { line: pos.line, character: before.length } };
  return FILE_SNIPPETS.map((s, i) => ({
    label: s.label, kind: CompletionItemKind.Snippet, insertTextFormat: InsertTextFormat.Snippet, detail: s.detail, filterText: s.filterText,
    sortText: `0${i}`, documentation: { kind: MarkupKind.Markdown, value: `\`\`\`yaml\n${expandSnippet(s.body).trimEnd()}\n\`\`\`` },
    textEdit: { range, newText: s.body },
  }));
}
