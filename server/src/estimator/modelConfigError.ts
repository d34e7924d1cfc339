/** A config.json the estimator cannot read: reported as a model-config issue, not as an internal error (estimate.ts). */
export class ModelConfigError extends Error {}
