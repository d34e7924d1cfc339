/**
 * The engine version an official image's tag states: `vllm/vllm-openai:v0.11.0`, `lmsysorg/sglang:v0.4.6.post1-cu124`,
 * `nvcr.io/nvidia/tensorrt-llm/release:1.0.0rc3`, `ghcr.io/huggingface/text-generation-inference:3.0.1`. A tag that
 * names no version (`latest`, `nightly`, a `@sha256:` digest, no tag) means the newest release, estimated as the
 * newest modelled. Images whose tag versions something else — NVIDIA Dynamo's `ai-dynamo/*-runtime` (the Dynamo
 * release, which bundles an engine release the tag does not name) and llm-d's images — give no version.
 */
import { isScalar, Scalar } from 'yaml';
import { engineLabels, sourced } from '../plan/types';
import type { EngineName, SourceRange, Sourced } from '../plan/types';
import { ParsedDocument, position } from './document';

/** Repositories (registry host optional) whose tags are the engine's own release numbers. */
const OFFICIAL: Array<{ repo: RegExp; engine: EngineName }> = [
  { repo: /^(docker\.io\/)?vllm\/vllm-openai$/, engine: 'vllm' },
  { repo: /^(docker\.io\/)?lmsysorg\/sglang$/, engine: 'sglang' },
  { repo: /^nvcr\.io\/nvidia\/tensorrt-llm\/release$/, engine: 'trtllm' },
  { repo: /^ghcr\.io\/huggingface\/text-generation-inference$/, engine: 'tgi' },
  // TEI tags: `1.9`, `1.9.3`, `cpu-1.9`, `89-1.9` / `hopper-1.9` (per-GPU-architecture builds) — see RELEASE below.
  { repo: /^ghcr\.io\/huggingface\/text-embeddings-inference$/, engine: 'tei' },
];

/** Images that run an engine but version something else. */
const BUNDLES: Array<{ repo: RegExp; engine: EngineName; product: string }> = [
  { repo: /^nvcr\.io\/nvidia\/ai-dynamo\/vllm-runtime$/, engine: 'vllm', product: 'NVIDIA Dynamo' },
  { repo: /^nvcr\.io\/nvidia\/ai-dynamo\/sglang-runtime$/, engine: 'sglang', product: 'NVIDIA Dynamo' },
  { repo: /^nvcr\.io\/nvidia\/ai-dynamo\/tensorrtllm-runtime$/, engine: 'trtllm', product: 'NVIDIA Dynamo' },
  { repo: /^ghcr\.io\/llm-d\/llm-d(-cuda|-dev)?$/, engine: 'vllm', product: 'llm-d' },
];

export type ImageVersion =
  /** The tag names the engine's release: `version` is it without the `v` and build suffixes (`-cu124`, `-rocm630`). */
  | { kind: 'version'; engine: EngineName; version: string; tag: string }
  /** No version in the tag: the newest release is what runs. */
  | { kind: 'newest'; engine: EngineName; tag: string; why: string }
  /** The tag versions another product that bundles the engine. */
  | { kind: 'bundle'; engine: EngineName; tag: string; product: string };

/** `1.0.0rc3`, `v0.4.6.post1-cu124`, `0.10.1.1`, `3.0.1-intel`: the release number at the start of a tag. */
const RELEASE = /^v?(\d+\.\d+(?:\.\d+)*(?:(?:\.?post|rc|a|b|\.dev)\d+)*)(?:[-+_].*)?$/i;

/** Splits `registry/repo:tag@sha256:…` (a registry port is not a tag) and reads the engine version from it. */
export function imageVersion(image: string): ImageVersion | undefined {
  const ref = image.trim();
  const at = ref.indexOf('@');
  const digest = at >= 0;
  const name = digest ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const repo = (hasTag ? name.slice(0, colon) : name).toLowerCase();
  const tag = hasTag ? name.slice(colon + 1) : '';
  const official = OFFICIAL.find((o) => o.repo.test(repo));
  if (!official) {
    const b = BUNDLES.find((x) => x.repo.test(repo));
    return b && { kind: 'bundle', engine: b.engine, tag: tag || 'latest', product: b.product };
  }
  // TEI builds one image per GPU architecture and prefixes it to the release: `cpu-1.9`, `turing-1.9`, `89-1.9`, `hopper-1.9`.
  const m = RELEASE.exec(official.engine === 'tei' ? tag.replace(/^(cpu|turing|ampere|hopper|blackwell|\d{2,3})-(?=\d)/i, '') : tag);
  if (m) return { kind: 'version', engine: official.engine, version: m[1], tag };
  // A digest pins an image whose release the reference does not say; without a tag Docker pulls `latest`.
  const why = digest ? 'the image is pinned by digest, which does not say its release' : !tag ? 'the image has no tag (`latest`)' : `the image tag is \`${tag}\``;
  return { kind: 'newest', engine: official.engine, tag: tag || (digest ? ref.slice(at + 1) : 'latest'), why };
}

/** What a plan takes from its image: the version (or why there is none), with the tag's place in the file. */
export interface ImageFacts {
  /** The engine the image runs (its version applies only to a plan of that engine). */
  engine: EngineName;
  /** The engine version the tag states (provenance: the tag's range, key `image tag`). */
  version?: Sourced<string>;
  /** The image reference, where it is written (the image scalar, and a separate tag scalar), and — when its tag
   *  gives no version — why (`latest`, a digest, a Dynamo release). */
  image: ImageRef;
}

export interface ImageRef {
  ref: string;
  ranges: SourceRange[];
  note?: string;
}

/** The range of `text`'s slice [from, to) inside a one-line scalar (quotes skipped); the whole scalar otherwise. */
function sliceRange(doc: ParsedDocument, node: Scalar, from: number, to: number): SourceRange {
  const [start, end] = node.range ?? [0, 0];
  const raw = doc.text.slice(start, end);
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  const value = String(node.value);
  if (raw.includes('\n') || raw.slice(quoted, quoted + value.length) !== value) return { start: position(doc.lineCounter, start), end: position(doc.lineCounter, end) };
  return { start: position(doc.lineCounter, start + quoted + from), end: position(doc.lineCounter, start + quoted + to) };
}

const describeImage = (v: ImageVersion): string =>
  v.kind === 'bundle' ? `the image tag \`${v.tag}\` is the ${v.product} release, not ${engineLabels[v.engine]}'s` : v.kind === 'newest' ? v.why : '';

/**
 * Facts from an `image:` scalar, and optionally a separate `tag:` scalar (Helm charts split `repository` and `tag`).
 * Undefined when the image is not one whose tag Deploy Advisor reads.
 */
export function imageFacts(doc: ParsedDocument, imageNode: unknown, tagNode?: unknown): ImageFacts | undefined {
  if (!isScalar(imageNode) || typeof imageNode.value !== 'string' || !imageNode.value.trim()) return undefined;
  const img = imageNode as Scalar;
  const tagged = isScalar(tagNode) && tagNode.value !== null && tagNode.value !== undefined && String(tagNode.value).trim() !== '';
  const ref = tagged ? `${String(img.value)}:${String((tagNode as Scalar).value)}` : String(img.value);
  const v = imageVersion(ref);
  if (!v) return undefined;
  const whole = sliceRange(doc, img, 0, String(img.value).length);
  let tagRange: SourceRange;
  if (tagged) {
    tagRange = sliceRange(doc, tagNode as Scalar, 0, String((tagNode as Scalar).value).length);
  } else {
    const s = String(img.value);
    const at = s.indexOf('@');
    const name = at >= 0 ? s.slice(0, at) : s;
    const colon = name.lastIndexOf(':') > name.lastIndexOf('/') ? name.lastIndexOf(':') : -1;
    tagRange = at >= 0 ? sliceRange(doc, img, at + 1, s.length) : colon >= 0 ? sliceRange(doc, img, colon + 1, name.length) : whole;
  }
  const image: ImageRef = { ref, ranges: tagged ? [whole, tagRange] : [whole], ...(v.kind === 'version' ? {} : { note: describeImage(v) }) };
  return { engine: v.engine, image, ...(v.kind === 'version' ? { version: sourced(v.version, { kind: 'file' as const, range: tagRange, key: 'image tag' }) } : {}) };
}
