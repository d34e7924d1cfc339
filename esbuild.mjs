// One build for the bundles: the extension client, the language server (and its optimizer worker), the CLI, and the report page's script.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
// Minified (the server starts on every editor launch; parse time scales with size), names kept for readable stacks.
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, minify: true, keepNames: true, logLevel: 'info' };
const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', format: 'cjs', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', format: 'cjs' },
  // The server's optimizer thread (node/optimizerThread.ts looks for it next to server.js).
  { ...common, entryPoints: ['server/src/node/optimizerWorker.ts'], outfile: 'dist/optimizer-worker.js', format: 'cjs' },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  // Runs in the webview / a browser; Chart.js is bundled in, nothing is fetched.
  { bundle: true, platform: 'browser', target: 'es2022', format: 'iife', minify: true, logLevel: 'info', entryPoints: ['report-view/view.ts'], outfile: 'dist/report-view.js' },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
