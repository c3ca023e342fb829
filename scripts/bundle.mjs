#!/usr/bin/env node
// `npm run bundle`: the Claude Desktop Extension (dist/intervals-mcp-<version>.mcpb). Its contents
// are exactly what `npm pack` ships (so the bundle and `npx -y intervals-mcp` run the same files),
// plus mcpb/manifest.json and the runtime dependencies at the versions package-lock.json pins,
// packed by @anthropic-ai/mcpb. Prints the bundle's path.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(root, 'mcpb', 'manifest.json'), 'utf8'));
if (manifest.version !== pkg.version) {
  console.error(`mcpb/manifest.json says version ${manifest.version}, package.json ${pkg.version}: make them the same.`);
  process.exit(1);
}

/** Runs a command, its output on stderr (stdout stays for the result); exits on failure. */
function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, stdio: ['ignore', 2, 2], env: process.env });
  if (r.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

const work = mkdtempSync(join(tmpdir(), 'intervals-mcp-bundle-'));
try {
  run('npm', ['pack', '--pack-destination', work, '--silent'], root);
  const tarball = join(work, `${pkg.name}-${pkg.version}.tgz`);
  const stage = join(work, 'stage');
  mkdirSync(stage);
  run('tar', ['-xzf', tarball, '-C', stage, '--strip-components=1'], root);
  copyFileSync(join(root, 'mcpb', 'manifest.json'), join(stage, 'manifest.json'));
  copyFileSync(join(root, 'package-lock.json'), join(stage, 'package-lock.json'));
  // Runtime dependencies only; no lifecycle scripts (the package's own `prepare` needs the dev tools).
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], stage);
  rmSync(join(stage, 'package-lock.json'));
  const out = join(root, 'dist', `${pkg.name}-${pkg.version}.mcpb`);
  mkdirSync(join(root, 'dist'), { recursive: true });
  const mcpb = join(root, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
  run(process.execPath, [mcpb, 'validate', join(stage, 'manifest.json')], root);
  run(process.execPath, [mcpb, 'pack', stage, out], root);
  console.log(out);
} finally {
  rmSync(work, { recursive: true, force: true });
}
