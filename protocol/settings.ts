/** Settings shape shared by client and server (`deployAdvisor.*` in package.json). */
export interface DeployAdvisorSettings {
  /** GPU to assume when the file does not name one; empty = from the file, else H100 SXM. */
  gpu: string;
  /** GPUs per replica when the file does not say; 0 = from the file. */
  gpuCount: number;
  /** JSON file adding or overriding GPUs in the catalog. */
  gpusFile: string;
}

export const defaultSettings: DeployAdvisorSettings = { gpu: '', gpuCount: 0, gpusFile: '' };

export const settingsSection = 'deployAdvisor';
