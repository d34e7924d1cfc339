/**
 * Seed papers behind the training rules' advice, each with a claim its abstract makes (paraphrased or quoted from
 * the abstract only). Sources: ../shared/seeds/001_43fa2c6f18289e07.txt (ZeRO) and 003_9e4c0e003678c6b3.txt
 * (8-bit optimizers); test/unit/trainingEvidence.test.ts checks each title and quote against the seeds.
 * Activation checkpointing ("Training Deep Nets with Sublinear Memory Cost") and QLoRA ("QLoRA: Efficient Finetuning
 * of Quantized LLMs") are not among the seed papers: those rules say that no seed paper measures them.
 */
export interface TrainingPaper {
  title: string;
  /** Words the abstract says, verbatim. */
  quote: string;
}

export const TRAINING_PAPERS = {
  zero: { title: 'ZeRO: Memory Optimizations Toward Training Trillion Parameter Models', quote: 'ZeRO eliminates memory redundancies in data- and model-parallel training' },
  optimizer8bit: { title: '8-bit Optimizers via Block-wise Quantization', quote: 'our 8-bit optimizers maintain 32-bit performance with a small fraction of the memory footprint' },
} satisfies Record<string, TrainingPaper>;

export type TrainingTechnique = keyof typeof TRAINING_PAPERS | 'checkpointing' | 'qlora' | 'micro-batch';

const UNMEASURED: Record<Exclude<TrainingTechnique, keyof typeof TRAINING_PAPERS>, string> = {
  checkpointing: 'activation checkpointing',
  qlora: '4-bit (QLoRA) fine-tuning',
  'micro-batch': 'micro-batch size against gradient accumulation',
};

/** The evidence sentence a training finding ends with. */
export function trainingEvidence(t: TrainingTechnique): string {
  if (t in TRAINING_PAPERS) {
    const p = TRAINING_PAPERS[t as keyof typeof TRAINING_PAPERS];
    return `Evidence: “${p.title}” — “${p.quote}”.`;
  }
  return `Evidence: no seed paper measures ${UNMEASURED[t as keyof typeof UNMEASURED]}; the numbers are this estimator's.`;
}
