#!/usr/bin/env node
// Regenerates the variable table in docs/CONFIGURATION.md from the config schema: names and defaults
// from configSchema, "required in production" from the production rules, descriptions from the doc
// comments in src/config/schema.ts, examples from ENV_EXAMPLES. Run `npm run docs:config` after adding
// a variable; test/deploy/config-reference.test.ts fails until the reference lists it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const { configSchema, crossFieldProblems, ENV_EXAMPLES, SECRET_KEYS } = await import(`${root}dist/src/config/schema.js`);
const source = readFileSync(`${root}src/config/schema.ts`, 'utf8');
const DOC = 'docs/CONFIGURATION.md';
const BEGIN = '<!-- BEGIN GENERATED: npm run docs:config -->';
const END = '<!-- END GENERATED -->';

// Descriptions for variables whose schema entry has no doc comment of its own (or shares one).
const DESCRIPTIONS = {
  ATHLETE_ID: 'stdio mode only (`npm run stdio`): the Intervals.icu athlete id; `0` means the owner of API_KEY.',
  INTERVALS_OAUTH_CLIENT_ID:
    'Intervals.icu OAuth app client id, to offer "Connect with Intervals.icu" instead of pasting an API key. Set together with the secret.',
  INTERVALS_OAUTH_CLIENT_SECRET: 'The Intervals.icu OAuth app secret (with INTERVALS_OAUTH_CLIENT_ID).',
  LOG_LEVEL: 'pino log level. Logs are JSON lines on stdout with secrets masked.',
  API_KEY: 'stdio mode only: the Intervals.icu personal API key of ATHLETE_ID.',
};

// Defaults computed by loadConfig() from other settings rather than declared in the schema.
const DERIVED_DEFAULTS = {
  BASE_URL: 'http://localhost:PORT',
  ISSUER_URL: 'BASE_URL',
  ALLOWED_ORIGINS: 'https://claude.ai,https://claude.com (+ http://localhost, http://127.0.0.1 outside production)',
  TRUST_PROXY: 'true in production, else false',
};

function docComment(key) {
  if (DESCRIPTIONS[key]) return DESCRIPTIONS[key];
  const re = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*\\n\\s*${key}:`);
  const m = re.exec(source);
  if (!m) return '';
  return m[1]
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter(Boolean)
    .join(' ');
}

function defaultOf(key) {
  if (DERIVED_DEFAULTS[key]) return DERIVED_DEFAULTS[key];
  const r = configSchema.shape[key].safeParse(undefined);
  if (!r.success || r.data === undefined) return '';
  if (Array.isArray(r.data)) return r.data.length ? r.data.join(',') : '';
  return String(r.data);
}

const requiredInProduction = new Set(crossFieldProblems({ NODE_ENV: 'production' }).map((p) => p.key));
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const rows = Object.keys(configSchema.shape).map((key) => {
  const flags = [requiredInProduction.has(key) ? '**yes**' : 'no', SECRET_KEYS.has(key) ? ' (secret)' : ''].join('');
  const def = defaultOf(key);
  const example = ENV_EXAMPLES[key];
  return `| \`${key}\` | ${def ? `\`${cell(def)}\`` : '—'} | ${flags} | ${cell(docComment(key))} | ${example ? `\`${cell(example)}\`` : '—'} |`;
});
const table = [
  BEGIN,
  '| Variable | Default | Required in production | Description | Example |',
  '|---|---|---|---|---|',
  ...rows,
  END,
].join('\n');

const doc = readFileSync(`${root}${DOC}`, 'utf8');
const start = doc.indexOf(BEGIN);
const end = doc.indexOf(END);
if (start < 0 || end < start) {
  console.error(`${DOC} has no generated section (${BEGIN} … ${END}).`);
  process.exit(1);
}
writeFileSync(`${root}${DOC}`, doc.slice(0, start) + table + doc.slice(end + END.length));
console.log(`${DOC}: ${rows.length} variables written.`);
