import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, matchesGlob, posix, relative } from 'node:path';

/**
 * Replays a Dockerfile without a Docker engine: each stage becomes a directory, the image's
 * WORKDIR maps onto it, COPY copies from the build context (honouring .dockerignore) or from an
 * earlier stage, and RUN steps run for real — except the build stage's full `npm ci`, which may
 * reuse the checkout's node_modules (allowed by the brief: it is slow and changes nothing the
 * runtime sees). Unknown instructions fail loudly, so the replay cannot silently drift from the file.
 */

export interface Instruction {
  op: string;
  args: string;
}

/** Instructions in order: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^(\S+)\s+([\s\S]*)$/.exec(full);
    if (m) out.push({ op: m[1]!.toUpperCase(), args: m[2]! });
  }
  return out;
}

export interface Stage {
  name: string;
  from: string;
  dir: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  expose: number[];
  cmd?: string[];
  healthcheck?: { options: string; cmd: string[] };
  /** What the replay did per step, for the test's report. */
  log: string[];
}

function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  return env;
}

/** .dockerignore semantics for files: last matching pattern wins, `!` re-includes. */
export function dockerIgnored(patterns: string[], path: string): boolean {
  let ignored = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    const glob = negated ? p.slice(1) : p;
    if (matchesGlob(path, glob) || matchesGlob(path, `${glob}/**`)) ignored = !negated;
  }
  return ignored;
}

export interface ReplayOptions {
  dockerfile: string;
  context: string;
  workDir: string;
  /** Environment for RUN steps (PATH to npm, npm cache, …). */
  runEnv: Record<string, string>;
}

export function replayDockerfile(opts: ReplayOptions): Stage[] {
  const ignore = readFileSync(join(opts.context, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  let stage: Stage | undefined;
  const hostPath = (s: Stage, imagePath: string): string => {
    const abs = posix.resolve(s.workdir, imagePath);
    const rel = posix.relative(s.workdir, abs);
    if (rel.startsWith('..')) throw new Error(`replay maps only paths under WORKDIR ${s.workdir}, not ${imagePath}`);
    return join(s.dir, rel);
  };
  const run = (s: Stage, command: string) => {
    const r = spawnSync('sh', ['-c', command], {
      cwd: s.dir,
      env: { ...opts.runEnv, ...s.env, PATH: `${join(s.dir, 'node_modules/.bin')}:${opts.runEnv.PATH ?? ''}` },
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0) throw new Error(`stage ${s.name}: \`${command}\` failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  };

  for (const { op, args } of parseDockerfile(opts.dockerfile)) {
    if (op === 'FROM') {
      const [from, as, name] = args.split(/\s+/);
      const parent = stages.find((s) => s.name === from);
      const next: Stage = {
        name: as?.toUpperCase() === 'AS' ? name! : `stage${stages.length}`,
        from: from!,
        dir: join(opts.workDir, `stage-${stages.length}`),
        workdir: parent?.workdir ?? '/',
        env: { ...(parent?.env ?? {}) },
        user: parent?.user,
        expose: [],
        log: [],
      };
      if (parent) cpSync(parent.dir, next.dir, { recursive: true, verbatimSymlinks: true });
      else mkdirSync(next.dir, { recursive: true });
      stages.push(next);
      stage = next;
      continue;
    }
    if (!stage) throw new Error(`${op} before FROM`);
    const s = stage;
    if (op === 'WORKDIR') s.workdir = posix.resolve(s.workdir, args);
    else if (op === 'ENV') Object.assign(s.env, parseEnv(args));
    else if (op === 'USER') s.user = args.trim();
    else if (op === 'EXPOSE') s.expose.push(...args.split(/\s+/).map(Number));
    else if (op === 'CMD') s.cmd = JSON.parse(args) as string[];
    else if (op === 'HEALTHCHECK') {
      const m = /^(.*?)\bCMD\s+(\[.*\])$/.exec(args);
      if (!m) throw new Error('HEALTHCHECK must use the exec form: CMD ["…"]');
      s.healthcheck = { options: m[1]!.trim(), cmd: JSON.parse(m[2]!) as string[] };
    } else if (op === 'COPY') {
      const words = args.split(/\s+/);
      const flags = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      const dest = paths.pop()!;
      const fromStage = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      for (const src of paths) {
        const target = dest.endsWith('/') || paths.length > 1 ? join(hostPath(s, dest), posix.basename(src)) : hostPath(s, dest);
        if (fromStage) {
          const origin = stages.find((x) => x.name === fromStage);
          if (!origin) throw new Error(`COPY --from=${fromStage}: no such stage`);
          cpSync(hostPath(origin, src), target, { recursive: true, verbatimSymlinks: true });
        } else {
          const from = join(opts.context, src);
          if (!existsSync(from)) throw new Error(`COPY ${src}: not in the build context`);
          cpSync(from, target, {
            recursive: true,
            filter: (p) => {
              const rel = relative(opts.context, p);
              // Directories are walked; files are what .dockerignore keeps out of the context.
              return rel === '' || statSync(p).isDirectory() || !dockerIgnored(ignore, rel);
            },
          });
          if (!existsSync(target)) throw new Error(`COPY ${src}: excluded by .dockerignore`);
        }
      }
      s.log.push(`COPY ${args}`);
    } else if (op === 'RUN') {
      const cmd = args.trim();
      if (/^npm ci\b/.test(cmd) && !/--omit=dev/.test(cmd)) {
        if (!existsSync(join(s.dir, 'package-lock.json'))) throw new Error('npm ci needs package-lock.json copied first');
        symlinkSync(join(opts.context, 'node_modules'), join(s.dir, 'node_modules'), 'dir');
        s.log.push(`RUN ${cmd}  (reused the checkout's node_modules)`);
      } else if (/^npm (ci|run) /.test(cmd)) {
        const t0 = Date.now();
        run(s, cmd);
        s.log.push(`RUN ${cmd}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      } else {
        const m = /^mkdir -p (\S+) && chown \S+ \S+$/.exec(cmd);
        if (!m) throw new Error(`replay does not know how to run \`${cmd}\`; teach test/deploy/dockerfile-replay.ts`);
        mkdirSync(hostPath(s, m[1]!), { recursive: true });
        s.log.push(`RUN ${cmd}  (ownership change not replayed)`);
      }
    } else throw new Error(`replay does not know the ${op} instruction`);
  }
  return stages;
}
