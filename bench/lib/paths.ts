import { fileURLToPath } from 'node:url';

/** The repository root; this file runs compiled from dist/bench/bench/lib/. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** Compiled benchmark servers (a) and (b). */
export const SERVERS_DIR = `${ROOT}dist/bench/bench/servers/`;
/** The product build that server (c) runs: `node dist/src/main.js`. */
export const PRODUCT_MAIN = `${ROOT}dist/src/main.js`;
export const LUA_SCRIPT = `${ROOT}bench/post.lua`;
