/**
 * Where model configs beyond the built-in catalog come from for a document: nowhere in an untrusted workspace (and
 * every unknown model says why), the Hub when `deployAdvisor.hub.enabled` is on, else nowhere.
 */
import * as path from 'node:path';
import type { ModelSource } from '../estimator/estimate';
import { envToken, HubConfigStore } from '../node/hub';

const untrusted: ModelSource = {
  version: 0,
  lookup: () => ({ status: 'The workspace is not trusted, so Deploy Advisor reads only the open documents (no local model folders, side profiles, GPUs file or Hub lookup).' }),
};

export interface ModelSourceOptions {
  trusted: () => boolean;
  hubEnabled: (uri: string) => boolean;
  cacheDir: () => string | undefined;
  /** The token kept in the editor's secret storage, asked for only when a fetch needs one. */
  storedToken: () => Promise<string | undefined>;
  /** A lookup settled: re-analyse the open documents. */
  onUpdate: () => void;
}

export function modelSources(o: ModelSourceOptions): (uri: string) => ModelSource | undefined {
  let hub: HubConfigStore | undefined;
  return (uri) => {
    if (!o.trusted()) return untrusted;
    if (!o.hubEnabled(uri)) return undefined;
    const dir = o.cacheDir();
    // The environment's token first (as the Hub's own tools do), else the one the user stored in the editor.
    hub ??= new HubConfigStore({ cacheDir: dir && path.join(dir, 'hub'), token: async () => envToken() ?? (await o.storedToken()), onUpdate: o.onUpdate });
    return hub;
  };
}
