/**
 * The report page and the cheapest-setup search for a fine-tuning config: built by the server
 * (server/src/report/trainingData.ts, server/src/lsp/trainingOptimize.ts), drawn by report-view/training.ts and the
 * client's *Find Cheapest Plan*. A page of the report is a serving workload's ReportData or this.
 */
import type { ReportData } from './report';

/** One setup of the search, as shown: figures rounded, changes in words. */
export interface TrainingPlanView {
  /** Stable id of the setup (gpu/count/method/precision/sharding/checkpointing/micro × accum). */
  key: string;
  gpu: string;
  gpus: number;
  /** "lora · bf16 · ZeRO-2 · checkpointing · 4 × 2" (method · precision · sharding · micro-batch × accumulation). */
  setup: string;
  peakGiB: number;
  capacityGiB: number;
  tokensPerSecond: number;
  stepSeconds: number;
  costPerHour: number;
  costPerMillionTokens: number;
  /** With a token budget: the job's hours and $. */
  hours?: number;
  totalCost?: number;
  isFile: boolean;
  fits: boolean;
  meetsTarget: boolean;
  /** "GPU H100-SXM → A100-80GB", … (empty for the file's own setup). */
  changes: string[];
  /** *Find Cheapest Plan* only: rewrites the file to this setup, with the framework's own keys (absent: `noEdit`). */
  edit?: { changes: Record<string, Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>> };
  /** What the edit leaves to the launcher (the GPU type and count). */
  editNotes?: string[];
  /** Why the file cannot be rewritten to this setup. */
  noEdit?: string;
}

export interface TrainingCheapest {
  searchedFor: string;
  searched: number;
  /** Cheapest first. */
  plans: TrainingPlanView[];
  /** The file's own setup as it stands. */
  current?: TrainingPlanView;
  notes: string[];
}

export interface TrainingReportData {
  kind: 'training';
  name: string;
  model: string;
  /** "4 × H100-SXM · full · mixed · ZeRO-3 · micro-batch 2 × accumulation 8". */
  hardware: string;
  verdict: string;
  fits: boolean;
  /** Per GPU, one segment per component (weights, gradients, optimizer, activations, logits, overhead), then free. */
  memory: { capacityGiB: number; peakGiB: number; segments: Array<{ label: string; gib: number }> };
  /** Bytes held in each phase of a step (PyTorch's allocation, before overhead), the peak phase named. */
  phases: { peak: string; rows: Array<{ phase: string; gib: number }> };
  throughput: { tokensPerStep: number; effectiveBatch: number; stepSeconds: number; tokensPerSecond: number; trainableParams: number; totalParams: number };
  findings: Array<{ severity: string; message: string }>;
  cheapest: TrainingCheapest;
  assumptions: string[];
}

export type ReportPage = ReportData | TrainingReportData;

export const isTrainingPage = (p: ReportPage): p is TrainingReportData => (p as TrainingReportData).kind === 'training';

/** What a training search looks for (the editor's *Find Cheapest Plan* on a training config). */
export interface TrainingSearchParams {
  tokensPerSecond?: number;
  tokens?: number;
  maxHours?: number;
  /** Methods allowed (default: the file's). */
  methods?: Array<'full' | 'lora' | 'qlora'>;
}
