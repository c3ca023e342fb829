// Builds each MCP Apps view (src/views/<name>.ts + src/views/view.css) into one self-contained
// HTML document, dist/views/<name>.html, with its script and styles inline: hosts load a view into
// a sandboxed iframe whose CSP allows no external origin, so nothing may be fetched. The server
// reads these files once (src/mcp/views.ts). Run by `npm run build` and `prepare`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const VIEWS = {
  fitness: 'Fitness, fatigue and form',
  activity: 'Activity streams and intervals',
  wellness: 'Wellness',
  curves: 'Best-effort curves',
  week: 'Planned vs done',
};

const css = (await build({ entryPoints: [join(root, 'src/views/view.css')], bundle: true, minify: true, write: false })).outputFiles[0]
  .text;
mkdirSync(join(root, 'dist/views'), { recursive: true });
for (const [name, title] of Object.entries(VIEWS)) {
  const js = (
    await build({
      entryPoints: [join(root, `src/views/${name}.ts`)],
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      legalComments: 'none',
    })
  ).outputFiles[0].text;
  // esbuild escapes `</script` inside the bundle, so it can sit in an inline <script>.
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${css}</style></head><body><main id="app" aria-live="polite"><p class="status">Waiting for data…</p></main><script>${js}</script></body></html>`;
  writeFileSync(join(root, `dist/views/${name}.html`), html);
}
