/**
 * Opt-in lookup of a model id's config.json on the Hugging Face Hub (off unless the `deployAdvisor.hub.enabled`
 * setting is on in a trusted workspace). What it promises, and the tests in test/protocol/hub.test.ts check:
 * - requests go only to the Hub's origin (`https://huggingface.co`, or `HF_ENDPOINT` as the Hub's own tools honour);
 *   redirects are followed only within that origin, so the token never leaves it;
 * - the token comes from `HF_TOKEN` / `HUGGING_FACE_HUB_TOKEN` or the editor's secret storage, is sent only in the
 *   Authorization header and never logged or put in an error message;
 * - responses are bounded (size, time), must be a JSON object that looks like a model config, and are cached on disk,
 *   so a model fetched once works offline; failures are remembered for a while, not retried on every keystroke.
 * The estimator sees all this through the synchronous `ModelSource` interface: a lookup answers from memory or disk,
 * or starts one fetch and says so; `onUpdate` tells the server to re-analyse when the answer arrives.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelSource } from '../estimator/estimate';
import { parsePythonJson } from '../formats/pythonJson';

export const DEFAULT_HUB = 'https://huggingface.co';
/** Real config.json files are a few kB (DeepSeek-V3's is 1.7 kB); anything near this is not one. */
const MAX_BYTES = 1024 * 1024;
const TIMEOUT_MS = 10_000;
/** A failed lookup is retried after this long (or when the settings change). */
const RETRY_MS = 60_000;
const MAX_REDIRECTS = 3;
/** Hub repo ids: `owner/name`, letters, digits, `-`, `_`, `.`; no `..`, no other path characters. */
const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}\/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$/;

export interface HubOptions {
  /** The Hub's origin (default: HF_ENDPOINT, else https://huggingface.co). */
  endpoint?: string;
  /** Where fetched configs are kept between sessions. */
  cacheDir?: string;
  /** The access token for gated or private models, when there is one (asked for only when a model needs fetching). */
  token?: () => Promise<string | undefined>;
  onUpdate?: () => void;
  timeoutMs?: number;
}

type Entry = { config: Record<string, unknown>; note: string } | { status: string; until?: number };

export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT || DEFAULT_HUB).replace(/\/+$/, '');
}

export function envToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
}

export class HubConfigStore implements ModelSource {
  version = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly origin: string;

  constructor(private readonly o: HubOptions = {}) {
    this.origin = new URL(o.endpoint ?? hubEndpoint()).origin;
  }

  lookup(id: string): { config: Record<string, unknown>; note: string } | { status: string } | undefined {
    if (!REPO_ID.test(id) || id.includes('..')) return undefined;
    const hit = this.entries.get(id) ?? this.fromDisk(id);
    if (hit && ('config' in hit || !hit.until || hit.until > Date.now())) return hit;
    const pending: Entry = { status: `Fetching its config.json from ${this.origin}…` };
    this.entries.set(id, pending);
    this.inflight.set(id, this.fetchConfig(id).then((entry) => {
      this.entries.set(id, entry);
      this.inflight.delete(id);
      if ('config' in entry) this.toDisk(id, entry.config);
      this.version++;
      this.o.onUpdate?.();
    }));
    return pending;
  }

  /** Resolves once the model's lookup has settled (for the CLI and tests). */
  async settle(id: string): Promise<void> {
    this.lookup(id);
    await this.inflight.get(id);
  }

  private async fetchConfig(id: string): Promise<Entry> {
    const failed = (why: string): Entry => ({ status: `The Hub lookup failed: ${why}.`, until: Date.now() + RETRY_MS });
    let token: string | undefined;
    try {
      token = await this.o.token?.();
    } catch {
      token = undefined;
    }
    let url = new URL(`/${id}/resolve/main/config.json`, this.origin);
    try {
      for (let hop = 0; ; hop++) {
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          signal: AbortSignal.timeout(this.o.timeoutMs ?? TIMEOUT_MS),
        });
        if (res.status >= 300 && res.status < 400) {
          const next = res.headers.get('location');
          await res.body?.cancel();
          if (!next || hop >= MAX_REDIRECTS) return failed('too many redirects');
          url = new URL(next, url);
          // The Hub redirects renamed repos within itself; anything else would carry the token elsewhere.
          if (url.origin !== this.origin) return failed(`it redirected to another host (${url.host}), which Deploy Advisor does not follow`);
          continue;
        }
        if (res.status === 401 || res.status === 403) {
          await res.body?.cancel();
          return failed(`${res.status}: the model is gated or private${token ? ' and the token does not grant access to it' : '; set HF_TOKEN or run "Deploy Advisor: Set Hugging Face Token"'}`);
        }
        if (res.status === 404) {
          await res.body?.cancel();
          return failed('the Hub has no such model (404)');
        }
        if (res.status !== 200) {
          await res.body?.cancel();
          return failed(`the Hub answered ${res.status}`);
        }
        const body = await readBounded(res);
        if (body === undefined) return failed(`the response is larger than ${MAX_BYTES / 1024} kB, which no config.json is`);
        return validate(id, parseJson(body), this.origin) ?? failed('the response is not a model config.json');
      }
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === 'TimeoutError' || err.name === 'AbortError') return failed(`no answer within ${(this.o.timeoutMs ?? TIMEOUT_MS) / 1000} s`);
      return failed(`cannot reach ${this.origin}${err.cause?.code ? ` (${err.cause.code})` : ''}; working offline`);
    }
  }

  private file(id: string): string | undefined {
    return this.o.cacheDir ? path.join(this.o.cacheDir, `${createHash('sha256').update(`${this.origin}/${id}`).digest('hex').slice(0, 32)}.json`) : undefined;
  }

  private fromDisk(id: string): Entry | undefined {
    const file = this.file(id);
    try {
      if (!file || !fs.existsSync(file) || fs.statSync(file).size > MAX_BYTES) return undefined;
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { id?: string; config?: unknown };
      const entry = saved.id === id ? validate(id, saved.config, this.origin, 'cached') : undefined;
      if (entry) this.entries.set(id, entry);
      return entry;
    } catch {
      return undefined;
    }
  }

  private toDisk(id: string, config: Record<string, unknown>): void {
    const file = this.file(id);
    if (!file) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ id, origin: this.origin, fetchedAt: new Date().toISOString(), config }));
      fs.renameSync(tmp, file);
    } catch {
      // A read-only or full disk only costs a refetch next session.
    }
  }
}

async function readBounded(res: Response): Promise<string | undefined> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_BYTES) {
    await res.body?.cancel();
    return undefined;
  }
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    // The Hub serves config.json as Python wrote it: Nemotron-H's holds a bare Infinity.
    return parsePythonJson(text);
  } catch {
    return undefined;
  }
}

/** A JSON object with the fields every decoder config.json has; anything else is refused. */
function validate(id: string, v: unknown, origin: string, how = 'fetched'): Entry | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const c = v as Record<string, unknown>;
  const looksLikeConfig = typeof c.model_type === 'string' || (Array.isArray(c.architectures) && c.architectures.every((a) => typeof a === 'string'));
  if (!looksLikeConfig) return undefined;
  return { config: c, note: `model config for ${id} ${how} from ${origin} (deployAdvisor.hub.enabled)` };
}
