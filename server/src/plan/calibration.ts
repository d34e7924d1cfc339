/**
 * Efficiency factors a plan carries from the repository's calibration (`.deploy-advisor.yaml` `calibration:`, written
 * by `deploy-advisor calibrate`); estimator/calibration.ts applies them.
 */
import type { EngineName } from './types';

export interface EfficiencyFactors {
  bandwidth?: number;
  compute?: number;
  stepOverheadMs?: number;
}

/** Median |error| in % of the runs a factor set was judged on, before and after it (absent: no such figure). */
export interface CalibrationError {
  runs: number;
  ttftPct?: number;
  tpotPct?: number;
}

export interface CalibrationEntry extends EfficiencyFactors {
  /** Catalog GPU id (`h200`), as the estimate resolves it. */
  gpu: string;
  engine: EngineName;
  /** The result files it was fitted on, relative to the config file. */
  sources?: string[];
  fitted?: string;
  error?: { fit?: { before: CalibrationError; after: CalibrationError }; heldOut?: { before: CalibrationError; after: CalibrationError } };
}

/** The calibration a plan is estimated with, and the file that states it (for the assumption line). */
export interface PlanCalibration {
  file: string;
  entries: CalibrationEntry[];
}

