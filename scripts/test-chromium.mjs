// The headless Chromium the browser tests drive through playwright-core: CHROMIUM_PATH when set,
// else the system's (/usr/bin/chromium, then `chromium` on PATH), else the build the npm package
// @sparticuz/chromium ships inside its tarball (unpacked once to the temp directory, ~2 s; nothing
// is downloaded).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(executable);
}

/** Returns `{ path, source }`. */
export async function findChromium() {
  if (process.env.CHROMIUM_PATH) return { path: process.env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  const system = ['/usr/bin/chromium'].find(executable) ?? onPath('chromium');
  if (system) return { path: system, source: 'system' };
  const { default: packaged } = await import('@sparticuz/chromium');
  return { path: await packaged.executablePath(), source: 'npm package @sparticuz/chromium' };
}
