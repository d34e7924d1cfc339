/**
 * The threat model's code-level promises (README "Security"): no code built from strings, no shelling out, no network
 * outside the opt-in Hub lookup — checked in our sources and in the shipped bundles (dependencies included).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dist, root } from '../support/paths';

const sourceDirs = ['client/src', 'server/src', 'protocol', 'report-view'];
const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

describe('security properties of the code', () => {
  const sources = sourceDirs.flatMap((d) => files(path.join(root, d))).map((f) => ({ f: path.relative(root, f), text: fs.readFileSync(f, 'utf8') }));

  it('our sources never evaluate strings as code', () => {
    for (const { f, text } of sources) assert.doesNotMatch(text, /\beval\s*\(|new\s+Function\s*\(|\bvm\.(run|compile)|setTimeout\(\s*['"`]/, f);
  });

  // The client starts its language server (vscode-languageclient) and, for *Calibrate from Runs*, the bundled CLI it
  // ships (dist/cli.js, forked with node: no shell, no other binary). Nothing else starts a process.
  const CALIBRATE_RUNNER = path.join('client', 'src', 'calibrateRuns.ts');
  it('our sources never start processes (the client\'s children: its own language server, and its own bundled CLI for calibrate)', () => {
    for (const { f, text } of sources) {
      if (f === CALIBRATE_RUNNER) {
        assert.doesNotMatch(text, /\bexec(Sync|File)?\(|\bspawn(Sync)?\(|shell:/, f);
        assert.match(text, /fork\(cliPath, args/, 'forks only the CLI path it is given');
        continue;
      }
      assert.doesNotMatch(text, /child_process|\bexecSync\b|\bspawn\(/, f);
    }
  });

  it('only the Hub lookup touches the network', () => {
    for (const { f, text } of sources) {
      if (f === path.join('server', 'src', 'node', 'hub.ts')) continue;
      assert.doesNotMatch(text, /(?<![.\w])fetch\(|node:https?\b|['"]https?['"]|node:net\b|WebSocket/, f);
    }
  });

  it('the .vsix ships every bundle the extension loads, and nothing from the sources or tests', () => {
    // Zip entry names are stored uncompressed in the central directory.
    const vsix = fs.readFileSync(dist('deploy-advisor.vsix')).toString('latin1');
    for (const b of ['client.js', 'server.js', 'optimizer-worker.js', 'report-view.js']) assert.ok(vsix.includes(`extension/dist/${b}`), `${b} missing from the .vsix`);
    for (const bad of ['extension/server/src/', 'extension/test/', 'extension/node_modules/', '.map']) assert.ok(!vsix.includes(bad), `${bad} in the .vsix`);
  });

  it('the shipped bundles contain no string-to-code constructs, dependencies included (schemas are compiled ahead of time)', () => {
    for (const b of ['server.js', 'optimizer-worker.js', 'client.js', 'cli.js', 'report-view.js']) {
      const text = fs.readFileSync(dist(b), 'utf8');
      assert.doesNotMatch(text, /new Function\(|[^.\w$]eval\(/, b);
    }
  });
});
