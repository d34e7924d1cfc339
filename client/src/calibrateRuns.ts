/**
 * *Calibrate from Runs* runs the bundled CLI's `calibrate` in a child process: the fit simulates every run's benchmark
 * dozens of times (seconds to minutes), which must not hold up the language server, and the editor and the CLI then
 * fit, write and report exactly alike. No vscode import here, so the arguments and the summary are unit-tested.
 */
import { fork } from 'node:child_process';

/** What `deploy-advisor calibrate --json` prints (cli/calibrate.ts). */
export interface CalibrateOutput {
  config: string;
  written: boolean;
  groups: Array<{
    gpu: string;
    engine: string;
    runs: unknown[];
    error?: { heldOut?: { before: Pct; after: Pct }; fit?: { before: Pct; after: Pct } };
  }>;
  skipped: Array<{ file: string; why: string }>;
}
interface Pct { ttftPct?: number; tpotPct?: number }

export function calibrateArgs(paths: string[], gpu?: string): string[] {
  return ['calibrate', ...paths, '--json', ...(gpu ? ['--gpu', gpu] : [])];
}

const pct = (x: number | undefined) => (x === undefined ? '—' : `${Math.round(x)} %`);

/** One line per fitted GPU × engine for the notification: the held-out error before → after where there is one. */
export function calibrateSummary(out: CalibrateOutput): string {
  if (!out.groups.length) {
    return `No run to calibrate on${out.skipped.length ? ` (${out.skipped.length} file(s) not usable, see the output)` : ''}: calibration needs benchmark results beside the config or log of their deployment.`;
  }
  const groups = out.groups.map((g) => {
    const e = g.error?.heldOut ?? g.error?.fit;
    const which = g.error?.heldOut ? 'held-out' : 'fitted';
    return `${g.gpu} × ${g.engine} on ${g.runs.length} run(s), ${which} TTFT ${pct(e?.before.ttftPct)} → ${pct(e?.after.ttftPct)}, TPOT ${pct(e?.before.tpotPct)} → ${pct(e?.after.tpotPct)}`;
  });
  return `Calibrated ${groups.join('; ')}.${out.written ? '' : ' Nothing written.'}`;
}

/** Runs the CLI at `cliPath`; `cancel` kills it. Rejects with the CLI's message on a usage or read error. */
export function runCalibrate(cliPath: string, args: string[], cwd: string, cancel?: { onCancel(f: () => void): void }): Promise<CalibrateOutput> {
  return new Promise((resolve, reject) => {
    const child = fork(cliPath, args, { cwd, silent: true });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    cancel?.onCancel(() => child.kill());
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal) return reject(new Error('cancelled'));
      // 0: fitted, 1: no usable run (still a JSON answer); 2: usage error on stderr.
      if (code === 0 || code === 1) {
        try {
          return resolve(JSON.parse(stdout) as CalibrateOutput);
        } catch {
          /* fall through */
        }
      }
      reject(new Error(stderr.trim().split('\n')[0] || `calibrate exited with ${code}`));
    });
  });
}
