/**
 * User-facing text never shows seed file names (issue 16, item 8): the papers' seed files are for checking titles and
 * numbers against the abstracts, not for users. Scans the CLI's `evidence` output (text and JSON) and a report, and,
 * for every fixture, the diagnostics, fix titles, hovers on every line, the estimate's markdown and the report data.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { defaultSettings } from '../../protocol/settings';
import { evidenceLine, evidenceMarkdown, papers } from '../../server/src/evidence/catalog';
import { families, FamilyId } from '../../server/src/evidence/families';
import { parseText } from '../../server/src/formats/document';
import type { ReadContext } from '../../server/src/formats/types';
import { toDiagnostics } from '../../server/src/lsp/diagnostics';
import { hover } from '../../server/src/lsp/hover';
import { localModelLoader } from '../../server/src/node/localModels';
import { analyze } from '../../server/src/pipeline';
import { reportData } from '../../server/src/report/data';
import { analysisMarkdown } from '../../server/src/report/markdown';
import { dist, fixture } from '../support/paths';

/** Seed file names as the seeds are named (`000_dfcb70530c7aab72.txt`), arXiv-style file names, and seed folders. */
const SEED_NAME = /\b\d{3}_[0-9a-f]{16}\.txt\b|\b\d{4}\.\d{4,5}(?:v\d+)?\.(?:md|txt|pdf)\b|\bseeds\/|seed-catalog/;
const seedFiles = [...new Set(papers.map((p) => p.seed))];

function assertNoSeedNames(where: string, text: string): void {
  const m = SEED_NAME.exec(text);
  assert.equal(m, null, `${where} shows a seed file name: "${m?.[0]}" in …${text.slice(Math.max(0, (m?.index ?? 0) - 80), (m?.index ?? 0) + 40)}…`);
  for (const s of seedFiles) assert.ok(!text.includes(s), `${where} shows the seed file ${s}`);
}

function fixtureFiles(dir = fixture()): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return fs.existsSync(path.join(p, 'config.json')) ? [path.join(p, 'config.json')] : fixtureFiles(p);
    return /\.(ya?ml|json)$/.test(d.name) ? [p] : [];
  });
}

describe('no seed file names in user-facing text', () => {
  it('the pattern catches a seed file name (the check can fail)', () => {
    assert.ok(seedFiles.length > 0);
    for (const s of [...seedFiles, '2403.12345.md', 'seeds/x.txt']) assert.throws(() => assertNoSeedNames('probe', `see (${s})`));
  });

  it('evidence lines and lists, for every family', () => {
    for (const id of Object.keys(families) as FamilyId[]) {
      assertNoSeedNames(`evidenceLine(${id})`, evidenceLine(id));
      assertNoSeedNames(`evidenceMarkdown(${id})`, evidenceMarkdown(id).join('\n'));
    }
  });

  it('the CLI: evidence (text, one family, --json) and a report', () => {
    for (const args of [['evidence'], ['evidence', 'kv-quantization'], ['evidence', '--json']]) {
      const r = spawnSync(process.execPath, [dist('cli.js'), ...args], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(r.stdout.includes('CSKV: Training-Efficient Channel Shrinking'), `deploy-advisor ${args.join(' ')} lists papers`);
      assertNoSeedNames(`deploy-advisor ${args.join(' ')}`, r.stdout);
    }
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'da-seed-')), 'r.html');
    const r = spawnSync(process.execPath, [dist('cli.js'), 'report', fixture('vllm', 'kv-limited-chat.yaml'), '--html', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assertNoSeedNames('deploy-advisor report', fs.readFileSync(out, 'utf8'));
  });

  it('diagnostics, fix titles, hovers, estimate markdown and report data of every fixture', () => {
    let hovers = 0;
    for (const file of fixtureFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      const uri = pathToFileURL(file).href;
      const side = file.replace(/\.ya?ml$/, '.deploy.yaml');
      const ctx: ReadContext = { loadLocalConfig: localModelLoader(path.dirname(file)) };
      if (side !== file && fs.existsSync(side)) ctx.sideProfile = { uri: pathToFileURL(side).href, text: fs.readFileSync(side, 'utf8') };
      const a = analyze(uri, text, ctx);
      const where = path.basename(file);
      assertNoSeedNames(`${where} diagnostics`, toDiagnostics(a, defaultSettings).map((d) => d.message).join('\n'));
      assertNoSeedNames(`${where} fixes`, a.findings.flatMap((f) => (f.fixes ?? []).map((x) => x.title)).join('\n'));
      assertNoSeedNames(`${where} estimate`, analysisMarkdown(a));
      assertNoSeedNames(`${where} report data`, JSON.stringify(reportData(a)));
      const doc = parseText(uri, text);
      text.split('\n').forEach((line, i) => {
        const character = line.search(/\S/);
        if (character < 0) return;
        const at = hover(doc, a, { line: i, character });
        if (!at) return;
        hovers++;
        assertNoSeedNames(`${where}:${i + 1} hover`, JSON.stringify(at.contents));
      });
    }
    assert.ok(hovers > 50, `only ${hovers} hovers were checked`);
  });
});
