// `npm start`: the extension live on the sample configs in test-fixtures/.
// Uses your own `code` when it is on PATH; otherwise starts code-server (installed by scripts/setup.sh) and prints its URL.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsix = path.join(root, 'dist', 'deploy-advisor.vsix');
const fixtures = path.join(root, 'test-fixtures');

if (spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0 && !process.env.DEPLOY_ADVISOR_USE_CODE_SERVER) {
  execFileSync('code', ['--install-extension', vsix, '--force'], { stdio: 'inherit' });
  spawn('code', [fixtures], { stdio: 'inherit', detached: true }).unref();
  console.log(`Opened ${fixtures} in VS Code with Deploy Advisor installed.`);
} else {
  const cache = process.env.DEPLOY_ADVISOR_CACHE ?? path.join(os.homedir(), '.cache', 'deploy-advisor');
  const entry = path.join(cache, 'editor', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) execFileSync('bash', [path.join(root, 'scripts', 'setup-editor.sh')], { stdio: 'inherit' });
  const state = path.join(cache, 'live');
  fs.mkdirSync(path.join(state, 'user-data', 'User'), { recursive: true });
  fs.writeFileSync(path.join(state, 'config.yaml'), 'auth: none\n');
  const settingsFile = path.join(state, 'user-data', 'User', 'settings.json');
  if (!fs.existsSync(settingsFile)) fs.writeFileSync(settingsFile, JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none' }, null, 2));
  const common = ['--config', path.join(state, 'config.yaml'), '--user-data-dir', path.join(state, 'user-data'), '--extensions-dir', path.join(state, 'extensions')];
  const env = { ...process.env, EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery' }) };
  execFileSync(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { stdio: 'inherit', env });
  const port = process.env.PORT ?? '8080';
  console.log(`\nDeploy Advisor is live: open http://127.0.0.1:${port}/?folder=${encodeURIComponent(fixtures)}\n(Ctrl+C to stop)\n`);
  const child = spawn(process.execPath, [entry, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', fixtures], { stdio: 'inherit', env });
  process.on('SIGINT', () => child.kill('SIGTERM'));
  child.on('exit', (code) => process.exit(code ?? 0));
}
