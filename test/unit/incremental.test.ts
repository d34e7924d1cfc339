import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { manifest } from '../../bench/manifests';
import { analyze } from '../../server/src/pipeline';
import type { SourceRange } from '../../server/src/plan/types';

function slice(text: string, r: SourceRange): string {
  const lines = text.split('\n');
  return lines[r.start.line].slice(r.start.character, r.start.line === r.end.line ? r.end.character : undefined);
}

describe('large multi-document files are re-parsed one document at a time', () => {
  it('ranges stay exact after edits that move later documents (lines added, values changed)', () => {
    const base = manifest(3000);
    const first = analyze('file:///m.yaml', base);
    assert.ok(first.workloads.length > 10);
    // Insert two lines into the second document and change a value further down.
    const lines = base.split('\n');
    const at = lines.findIndex((l, i) => i > 60 && l.startsWith('metadata:'));
    lines.splice(at + 1, 0, '  annotations:', '    note: "moved"');
    const edited = lines.join('\n').replace('"--max-model-len"\n            - "16384"', '"--max-model-len"\n            - "24576"');
    for (const text of [edited, base, edited]) {
      const a = analyze('file:///m.yaml', text);
      assert.equal(a.workloads.length, first.workloads.length);
      for (const w of a.workloads) {
        const src = w.plan.model.ref.source;
        assert.equal(src.kind, 'file');
        if (src.kind === 'file') assert.equal(slice(text, src.range).replace(/"/g, ''), w.plan.model.ref.value);
        for (const k of w.plan.keys ?? []) assert.ok(slice(text, k.valueRange).length > 0);
      }
    }
  });
});
