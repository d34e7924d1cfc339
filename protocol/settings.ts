/** Settings shape shared by client and server (`deployAdvisor.*` in package.json). */
export type RuleSeverity = 'off' | 'error' | 'warning' | 'info' | 'hint';

export interface DeployAdvisorSettings {
  /** GPU to assume when the file does not name one; empty = from the file, else H100 SXM. */
  gpu: string;
  /** GPUs per replica when the file does not say; 0 = from the file. */
  gpuCount: number;
  /** Engine version to estimate for (`0.11.0`) when the file's image tag or `# deploy-advisor: engine-version=` does not say; empty = newest modelled. */
  engineVersion: string;
  /** JSON file adding or overriding GPUs in the catalog. */
  gpusFile: string;
  /** Workload assumed when a file does not state one. */
  workload: { inputLen: number; outputLen: number; concurrency: number };
  /** SLO checked when a file (or its profile) does not state one; 0 = none. */
  slo: { ttftMs: number; tpotMs: number; minThroughput: number };
  /** Severity per rule code, overriding the rule's default. */
  rules: Record<string, RuleSeverity>;
  /** Inlay hints after the keys that matter most. */
  inlayHints: boolean;
  /** Opt-in: fetch unknown model ids' config.json from the Hugging Face Hub (trusted workspaces only). */
  hub: { enabled: boolean };
  /** Find Cheapest Plan: GPU ids to search (empty = the catalog's datacenter GPUs); the file's own GPU is always searched. */
  optimizer: { gpus: string[] };
}

export const defaultSettings: DeployAdvisorSettings = {
  gpu: '',
  gpuCount: 0,
  engineVersion: '',
  gpusFile: '',
  workload: { inputLen: 1024, outputLen: 256, concurrency: 1 },
  slo: { ttftMs: 0, tpotMs: 0, minThroughput: 0 },
  rules: {},
  inlayHints: true,
  hub: { enabled: false },
  optimizer: { gpus: [] },
};

/** Server → client request for the Hub token kept in the editor's secret storage (null when none). */
export const hubTokenRequest = 'deployAdvisor/hubToken';

/** What the client tells the server at start. */
export interface InitializationOptions {
  trusted: boolean;
  settings?: Partial<DeployAdvisorSettings>;
  /** A folder the server may write its caches to (the extension's global storage). */
  cacheDir?: string;
}

export const settingsSection = 'deployAdvisor';
