/**
 * package.json's contributions hold together: every command a menu, keybinding, walkthrough or welcome link runs is
 * contributed (or is one of VS Code's own) and registered by the client; the Deployments view and its welcome content
 * exist; the walkthrough's media and the icon are files that ship (.vscodeignore); the Marketplace and Open VSX
 * metadata is there.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { root } from '../support/paths';

interface Step { id: string; title: string; description: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }
interface Pkg {
  name: string; publisher: string; version: string; license: string; icon: string; homepage: string;
  repository: { url: string }; bugs: { url: string }; galleryBanner: { color: string; theme: string };
  categories: string[]; keywords: string[]; activationEvents: string[];
  contributes: {
    commands: Array<{ command: string; title: string; icon?: string }>;
    views: Record<string, Array<{ id: string; name: string }>>;
    viewsWelcome: Array<{ view: string; contents: string; when?: string }>;
    menus: Record<string, Array<{ command: string; when?: string; group?: string }>>;
    keybindings: Array<{ command: string; key: string; mac?: string; when?: string }>;
    walkthroughs: Array<{ id: string; title: string; steps: Step[] }>;
  };
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Pkg;
const c = pkg.contributes;
const contributed = new Set(c.commands.map((x) => x.command));
const VIEW = 'deployAdvisor.deployments';
/** VS Code's own commands the walkthrough and the welcome content link to, and the focus command it makes per view. */
const BUILT_IN = new Set(['workbench.actions.view.problems', 'editor.action.quickFix', 'workbench.action.files.openFolder', 'workbench.trust.manage', `${VIEW}.focus`]);
/** The client's registerCommand calls (the commands it can run). */
const clientSource = fs.readdirSync(path.join(root, 'client', 'src')).map((f) => fs.readFileSync(path.join(root, 'client', 'src', f), 'utf8')).join('\n');
const registered = new Set([...clientSource.matchAll(/registerCommand\(\s*'([^']+)'/g)].map((m) => m[1]));
const commandLinks = (markdown: string) => [...markdown.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);

/** What `vsce package` ships: .vscodeignore's `**` then its `!` patterns (the only form it uses here). */
function ships(file: string): boolean {
  const lines = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**', '.vscodeignore starts by leaving everything out');
  const toRegex = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
  return lines.slice(1).some((l) => l.startsWith('!') && toRegex(l.slice(1)).test(file));
}

describe('package.json contributions', () => {
  it('every command that a menu, keybinding, walkthrough or welcome link runs exists', () => {
    const used: Array<[string, string]> = [];
    for (const [menu, items] of Object.entries(c.menus)) for (const i of items) used.push([i.command, `menus.${menu}`]);
    for (const k of c.keybindings) used.push([k.command, `keybinding ${k.key}`]);
    for (const w of c.viewsWelcome) for (const cmd of commandLinks(w.contents)) used.push([cmd, `viewsWelcome (${w.when})`]);
    for (const step of c.walkthroughs.flatMap((w) => w.steps)) for (const cmd of commandLinks(step.description)) used.push([cmd, `walkthrough step ${step.id}`]);
    assert.ok(used.length >= 15, `expected the menus, keys and links to use commands: ${used.length}`);
    for (const [cmd, where] of used) assert.ok(contributed.has(cmd) || BUILT_IN.has(cmd), `${where} runs ${cmd}, which is neither contributed nor VS Code's`);
  });

  it('the client registers every contributed command, and contributes every one it registers', () => {
    assert.deepEqual([...registered].sort(), [...contributed].sort());
  });

  it('the report is on the editor title (with an icon), the editor and Explorer context menus, and a key, for config files only', () => {
    const report = 'deployAdvisor.estimate';
    assert.ok(c.commands.find((x) => x.command === report)?.icon, 'an editor-title button needs an icon');
    for (const menu of ['editor/title', 'editor/context', 'explorer/context']) {
      const item = c.menus[menu]?.find((i) => i.command === report);
      assert.ok(item, `${menu} has the report`);
      assert.match(item.when ?? '', /resourceLangId|resourceExtname/, `${menu}: shown by language or file pattern`);
    }
    assert.match(c.menus['explorer/context'].find((i) => i.command === report)!.when!, /!explorerResourceIsFolder/);
    assert.equal(c.menus['editor/title'].find((i) => i.command === report)!.group, 'navigation');
    const key = c.keybindings.find((k) => k.command === report);
    assert.ok(key && key.mac && /editorTextFocus/.test(key.when ?? ''), 'a keybinding, with a macOS key, while editing');
    // The client sets the context key the when-clauses name.
    for (const when of [...Object.values(c.menus).flat().map((i) => i.when ?? ''), ...c.keybindings.map((k) => k.when ?? '')]) {
      for (const m of when.matchAll(/\b(deployAdvisor\.\w+)\b/g)) assert.ok(clientSource.includes(`'${m[1]}'`), `when-clause key ${m[1]} is set by the client`);
    }
  });

  it('the Deployments view is in the Explorer, with welcome content and its refresh on the view title', () => {
    const view = c.views.explorer?.find((v) => v.id === VIEW);
    assert.ok(view, 'contributes.views.explorer has the Deployments view');
    assert.equal(view.name, 'Deployments');
    const welcome = c.viewsWelcome.filter((w) => w.view === VIEW);
    assert.ok(welcome.length >= 2, 'welcome content for an empty workspace and for Restricted Mode');
    assert.ok(welcome.some((w) => /!isWorkspaceTrusted/.test(w.when ?? '')), 'Restricted Mode has its own welcome');
    assert.ok(c.menus['view/title'].some((i) => i.command === 'deployAdvisor.refreshDeployments' && i.when === `view == ${VIEW}`));
    assert.ok(clientSource.includes(`'${VIEW}'`), 'the client creates the tree view under the same id');
  });

  it('the walkthrough has the five steps of the issue (and the view), each with a markdown file that exists and ships', () => {
    const [w] = c.walkthroughs;
    assert.ok(w, 'a walkthrough');
    assert.deepEqual(w.steps.map((s) => s.id), ['openSample', 'readFinding', 'applyFix', 'openReport', 'findPlan', 'deployments']);
    assert.ok(clientSource.includes(`#${w.id}`), 'Get Started opens this walkthrough by its id');
    for (const s of w.steps) {
      const md = s.media.markdown;
      assert.ok(md, `step ${s.id} has markdown media`);
      const file = path.join(root, md);
      assert.ok(fs.existsSync(file), `${md} exists`);
      assert.ok(ships(md), `${md} ships in the .vsix`);
      assert.ok(s.completionEvents?.length, `step ${s.id} can be completed`);
      // Images the markdown shows must ship too.
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
        const img = path.relative(root, path.resolve(path.dirname(file), m[1])).split(path.sep).join('/');
        assert.ok(fs.existsSync(path.join(root, img)) && ships(img), `${md} shows ${img}, which must exist and ship`);
      }
    }
    assert.ok(ships('media/sample/llama-8b-l4-32k.yaml') && clientSource.includes("'media', 'sample', 'llama-8b-l4-32k.yaml'"), 'the sample the first step opens ships');
  });

  it('the icon is a 128 × 128 PNG that ships; Marketplace and Open VSX metadata is complete', () => {
    const png = fs.readFileSync(path.join(root, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(ships(pkg.icon), 'the icon ships');
    assert.ok(fs.existsSync(path.join(root, 'scripts', 'make-icon.mjs')), 'the script that draws it is committed');
    assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
    for (const url of [pkg.repository.url, pkg.homepage, pkg.bugs.url]) assert.match(url, /^https:\/\//);
    assert.equal(pkg.license, 'MIT');
    assert.ok(fs.existsSync(path.join(root, 'LICENSE')) && ships('LICENSE'));
    assert.ok(fs.existsSync(path.join(root, 'CHANGELOG.md')) && ships('CHANGELOG.md'));
    assert.match(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}$`, 'm'), 'the changelog has the current version');
    assert.ok(pkg.categories.length && pkg.keywords.length <= 30, 'categories, and at most 30 keywords (the Marketplace limit)');
  });

  it('the .vsix leaves out sources, tests, fixtures and source maps', () => {
    for (const f of ['client/src/extension.ts', 'server/src/server.ts', 'test/unit/contributions.test.ts', 'test-fixtures/vllm/broken.yaml', 'dist/server.js.map', 'scripts/make-icon.mjs', 'node_modules/yaml/package.json']) {
      assert.ok(!ships(f), `${f} must not ship`);
    }
    for (const f of ['dist/client.js', 'dist/server.js', 'dist/cli.js', 'package.json', 'README.md']) assert.ok(ships(f), `${f} ships`);
  });

  it('vsce ls lists what ships and nothing else', () => {
    const listed = execFileSync(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
      .split('\n').map((l) => l.trim()).filter(Boolean).sort();
    const expected = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', pkg.icon, 'media/sample/llama-8b-l4-32k.yaml',
      ...c.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown!)),
      ...fs.readdirSync(path.join(root, 'schemas')).map((f) => `schemas/${f}`),
      ...fs.readdirSync(path.join(root, 'docs')).map((f) => `docs/${f}`),
      ...['client', 'server', 'cli', 'report-view', 'optimizer-worker'].map((b) => `dist/${b}.js`)].sort();
    assert.deepEqual(listed, expected);
  });
});
