/**
 * The training rules' evidence is honest: each paper they cite is a seed paper (its title verbatim in
 * ../shared/seeds) and the quoted words are in that paper's abstract (the text after its title). Skips, saying so,
 * where ../shared is absent.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TRAINING_PAPERS, trainingEvidence } from '../../server/src/evidence/trainingPapers';
import { root } from '../support/paths';

const seeds = path.join(root, '..', 'shared', 'seeds');

test('every cited training paper is a seed paper and its quote is in the abstract', (t) => {
  if (!fs.existsSync(seeds)) return t.skip(`no ${seeds}: the seed papers are not here`);
  const all = fs.readdirSync(seeds).map((f) => fs.readFileSync(path.join(seeds, f), 'utf8')).join('\n');
  for (const p of Object.values(TRAINING_PAPERS)) {
    const at = all.indexOf(`\n${p.title}\n`);
    assert.ok(at >= 0, `“${p.title}” is not a seed paper title`);
    // The abstract is the paragraph that follows the title line.
    const abstract = all.slice(at + p.title.length + 2).trimStart().split('\n')[0];
    assert.ok(abstract.includes(p.quote), `“${p.quote}” is not in the abstract of “${p.title}”`);
  }
});

test('advice no seed paper measures says so instead of citing one', () => {
  assert.match(trainingEvidence('checkpointing'), /^Evidence: no seed paper measures activation checkpointing/);
  assert.match(trainingEvidence('qlora'), /^Evidence: no seed paper measures 4-bit/);
  assert.match(trainingEvidence('zero'), /“ZeRO: Memory Optimizations Toward Training Trillion Parameter Models”/);
});
