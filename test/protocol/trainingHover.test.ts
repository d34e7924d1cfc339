/** textDocument/hover on a fine-tuning config over LSP: the key's meaning and its figures from the estimate. */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { GiB } from '../../server/src/estimator/memory';
import { trainingWhatIf } from '../../server/src/estimator/training/whatIf';
import { analyze } from '../../server/src/pipeline';
import { LspClient } from '../support/lspClient';
import { fixture } from '../support/paths';

interface Position { line: number; character: number }
interface Hover { contents: { kind: string; value: string }; range?: { start: Position; end: Position } }

const gib = (b: number) => `${(b / GiB).toFixed(1)} GiB`;

describe('training hovers over LSP', () => {
  const lsp = new LspClient();
  before(async () => void (await lsp.initialize()));
  after(async () => assert.equal(await lsp.close(), 0));

  it('on an axolotl key: what it does, the activations here and with checkpointing off', async () => {
    const file = fixture('training', 'axolotl', 'examples', 'llama-3', 'qlora.yml');
    const text = fs.readFileSync(file, 'utf8');
    const uri = lsp.open(file, 'yaml', text);
    const line = text.split('\n').findIndex((l) => /^gradient_checkpointing:/.test(l));
    const h = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } });
    assert.ok(h, 'a hover');
    assert.equal(h.contents.kind, 'markdown');
    assert.match(h.contents.value, /^\*\*gradient_checkpointing\*\* · axolotl/);
    // The server's figures are the estimator's: this estimate, and the what-if with checkpointing off.
    const t = analyze(pathToFileURL(file).toString(), text).training!;
    const e = t.estimate!;
    const off = trainingWhatIf(t.inputs!, { gradientCheckpointing: false });
    assert.ok(h.contents.value.includes(`Here: checkpointing on: activations ${gib(e.components.activations)}, step ${e.stepSeconds.toFixed(2)} s`), h.contents.value);
    assert.ok(h.contents.value.includes(`peak ${gib(e.peakBytesPerGpu)} of ${gib(e.capacityBytes)} per GPU — fits.`), h.contents.value);
    assert.ok(h.contents.value.includes(`With gradient checkpointing off: activations ${gib(off.components.activations)}, peak ${gib(off.peakBytesPerGpu)} of ${gib(off.capacityBytes)} per GPU — ${off.fits ? 'fits' : 'does not fit'}; step ${off.stepSeconds.toFixed(2)} s`), h.contents.value);
    assert.deepEqual(h.range, { start: { line, character: 0 }, end: { line, character: 'gradient_checkpointing'.length } });
    const none = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: text.split('\n').findIndex((l) => /^learning_rate:/.test(l)), character: 2 } });
    assert.equal(none, null);
  });
});
