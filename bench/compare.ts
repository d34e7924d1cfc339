/**
 * Side by side on the same files and edits: Deploy Advisor's server against yaml-language-server (from npm), each
 * driven over stdio by the same client, timing didChange → the next publishDiagnostics. yaml-language-server is
 * given our JSON Schema for the vLLM file (so both validate its keys) and no schema for the manifests (the
 * Kubernetes schema would be downloaded; offline it only parses), which is less work than ours: the ratio is an
 * upper bound on how much slower we are than plain YAML validation.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LspClient } from '../test/support/lspClient';

const root = path.resolve(__dirname, '../..');
const yamlLs = path.join(root, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');

export interface Timing { p50: number; p95: number }

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function time(client: LspClient, file: string, base: string, edit: (t: string, v: number) => string, edits: number): Promise<Timing> {
  const uri = client.open(file, 'yaml', base);
  await client.nextDiagnostics(uri, 60_000);
  const times: number[] = [];
  for (let v = 0; v < edits; v++) {
    const next = client.nextDiagnostics(uri, 60_000);
    const t0 = performance.now();
    await client.change(uri, edit(base, v));
    await next;
    times.push(performance.now() - t0);
  }
  return { p50: pct(times, 50), p95: pct(times, 95) };
}

export async function ours(file: string, base: string, edit: (t: string, v: number) => string, edits: number): Promise<Timing> {
  const client = new LspClient();
  await client.initialize();
  try {
    return await time(client, file, base, edit, edits);
  } finally {
    await client.close();
  }
}

export async function yamlLanguageServer(file: string, base: string, edit: (t: string, v: number) => string, edits: number, schema?: string): Promise<Timing> {
  const client = new LspClient({ args: [yamlLs, '--stdio'] });
  client.sections = {
    yaml: {
      validate: true, hover: false, completion: false, format: { enable: false }, schemaStore: { enable: false },
      schemas: schema ? { [pathToFileURL(path.join(root, 'schemas', schema)).href]: path.basename(file) } : {},
    },
    http: {}, editor: {}, files: {}, '[yaml]': {},
  };
  await client.initialize();
  try {
    return await time(client, file, base, edit, edits);
  } finally {
    await client.close().catch(() => null);
  }
}
