/** Parse and estimate once per document version; every LSP feature reads from here. */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings, DeployAdvisorSettings } from '../../../protocol/settings';
import { localAdapterLoader, localModelLoader } from '../node/localModels';
import { findSideProfile } from '../node/sideProfile';
import type { Analysis } from '../pipeline';
import { analyzeWithPolicy } from '../policy/analyze';
import { trainingFileReader } from '../node/trainingFiles';
import type { LoadedConfig } from '../policy/repoConfig';
import type { RepoConfigStore } from '../node/repoConfig';
import type { ReadContext } from '../formats/types';
import { defaultDeps, EstimatorDeps, ModelSource } from '../estimator/estimate';
import { loadGpuOverrides } from '../node/gpuOverrides';
import type { GpuCatalog } from '../catalog/gpus';
import { linkToConfig } from '../measured/relatedConfig';
import { siblingConfigs } from '../node/siblingConfigs';

export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; analysis: Analysis }>();
  /**
   * @param settings the settings that apply to a document (VS Code settings are per resource).
   * @param models where configs beyond the catalog come from for a document (the Hub, or why not).
   */
  constructor(
    private readonly settings: (uri: string) => DeployAdvisorSettings,
    private readonly trusted: () => boolean,
    private readonly models: (uri: string) => ModelSource | undefined = () => undefined,
    /** .deploy-advisor.yaml lookup (trusted workspaces, files on disk): the same policy `check` applies. */
    private readonly configs?: RepoConfigStore,
  ) {}

  private gpus?: { file: string; catalog: GpuCatalog; problems: string[] };

  /** Problems with the deployAdvisor.gpusFile setting, for the output channel. */
  gpuProblems(): string[] {
    return this.gpus?.problems ?? [];
  }

  /** The estimator's inputs for a document: the GPU catalog (deployAdvisor.gpusFile applied) and model sources. */
  deps(uri: string): EstimatorDeps {
    const models = this.models(uri);
    const file = this.settings(uri).gpusFile;
    if (!file || !this.trusted()) return { gpus: defaultDeps.gpus, models };
    if (this.gpus?.file !== file) {
      const o = loadGpuOverrides(file);
      this.gpus = { file, catalog: o.catalog, problems: o.problems };
    }
    return { gpus: this.gpus.catalog, models };
  }

  get(doc: TextDocument): Analysis {
    const hit = this.entries.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    let analysis = analyzeWithPolicy(doc.uri, doc.getText(), this.context(doc.uri), this.deps(doc.uri), this.config(doc.uri));
    // A log or result: its findings link to the config beside it that serves the same model (trusted workspaces only).
    if (analysis.measured && this.trusted() && doc.uri.startsWith('file:')) {
      const candidates = siblingConfigs(fileURLToPath(doc.uri)).filter((c) => c.uri !== doc.uri)
        .map((c) => ({ uri: c.uri, analysis: analyzeWithPolicy(c.uri, c.text, this.context(c.uri), this.deps(c.uri), this.config(c.uri)) }))
        .filter((c) => !c.analysis.measured);
      analysis = { ...analysis, findings: linkToConfig(analysis, candidates) };
    }
    this.entries.set(doc.uri, { version: doc.version, analysis });
    return analysis;
  }

  /** A file that is not open (the Deployments view's scan), analysed as it would be when opened; not kept here. */
  analyzeText(uri: string, text: string): Analysis {
    return analyzeWithPolicy(uri, text, this.context(uri), this.deps(uri), this.config(uri));
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
    this.gpus = undefined;
    this.configs?.clear();
  }

  /** The repository config for a document: read from disk, so only in a trusted workspace (as side profiles are). */
  private config(uri: string): LoadedConfig | undefined {
    if (!this.configs || !this.trusted() || !uri.startsWith('file:')) return undefined;
    return this.configs.forFile(fileURLToPath(uri));
  }

  private context(uri: string): ReadContext {
    const s = this.settings(uri);
    const ctx: ReadContext = {};
    if (s.gpu) ctx.gpu = { value: s.gpu, source: { kind: 'setting', name: 'deployAdvisor.gpu' } };
    if (s.gpuCount > 0) ctx.gpuCount = { value: s.gpuCount, source: { kind: 'setting', name: 'deployAdvisor.gpuCount' } };
    if (typeof s.engineVersion === 'string' && s.engineVersion.trim()) ctx.engineVersion = { value: s.engineVersion.trim(), source: { kind: 'setting', name: 'deployAdvisor.engineVersion' } };
    const setting = (name: string) => ({ kind: 'setting' as const, name: `deployAdvisor.${name}` });
    const w = s.workload ?? defaultSettings.workload;
    ctx.workload = {};
    if (w.inputLen !== defaultSettings.workload.inputLen) ctx.workload.inputLen = { value: w.inputLen, source: setting('workload.inputLen') };
    if (w.outputLen !== defaultSettings.workload.outputLen) ctx.workload.outputLen = { value: w.outputLen, source: setting('workload.outputLen') };
    if (w.concurrency !== defaultSettings.workload.concurrency) ctx.workload.concurrency = { value: w.concurrency, source: setting('workload.concurrency') };
    const slo = s.slo ?? defaultSettings.slo;
    ctx.slo = {};
    if (slo.ttftMs > 0) ctx.slo.ttftMs = { value: slo.ttftMs, source: setting('slo.ttftMs') };
    if (slo.tpotMs > 0) ctx.slo.tpotMs = { value: slo.tpotMs, source: setting('slo.tpotMs') };
    if (slo.minThroughput > 0) ctx.slo.minThroughput = { value: slo.minThroughput, source: setting('slo.minThroughput') };
    if (this.trusted() && uri.startsWith('file:')) {
      const file = fileURLToPath(uri);
      ctx.loadLocalConfig = localModelLoader(path.dirname(file));
      ctx.loadLocalAdapter = localAdapterLoader(path.dirname(file));
      ctx.sideProfile = findSideProfile(file);
      ctx.readLinkedFile = trainingFileReader();
    }
    return ctx;
  }
}
