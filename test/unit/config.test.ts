import { describe, it, expect } from '@jest/globals';
import { loadConfig, ConfigError } from '../../src/config/load.js';
import * as schemaModule from '../../src/config/schema.js';

const PROD_OK = {
  NODE_ENV: 'production',
  BASE_URL: 'https://mcp.example.com',
  DATABASE_URL: 'postgres://u:hunter2-db-password@db.example.com:5432/postgres',
  SUPABASE_URL: 'https://abcd.supabase.co',
  SUPABASE_ANON_KEY: 'sb_publishable_SECRETVALUE_abcdefghijkl',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  COOKIE_KEYS: 'cookie-key-SECRET-0123456789abcdef0123456789',
};
const SECRET_VALUES = ['hunter2-db-password', 'SECRETVALUE', Buffer.alloc(32, 7).toString('base64'), 'cookie-key-SECRET'];

function problemsFor(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env as NodeJS.ProcessEnv);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('defaults to a local development setup on the embedded store', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      NODE_ENV: 'development',
      PORT: 8080,
      BASE_URL: 'http://localhost:8080',
      MCP_RESOURCE: 'http://localhost:8080/mcp',
      DATA_DIR: './data',
      RATE_LIMIT_PER_HOUR: 100,
      INTERVALS_API_BASE_URL: 'https://intervals.icu/api/v1',
      isProduction: false,
      TRUST_PROXY: false,
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.ALLOWED_ORIGINS).toEqual(['https://claude.ai', 'https://claude.com', 'http://localhost', 'http://127.0.0.1']);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('accepts a complete production configuration', () => {
    const c = loadConfig(PROD_OK);
    expect(c.isProduction).toBe(true);
    expect(c.TRUST_PROXY).toBe(true);
    expect(c.COOKIE_KEYS).toEqual([PROD_OK.COOKIE_KEYS]);
    expect(c.ALLOWED_ORIGINS).toEqual(['https://claude.ai', 'https://claude.com']);
  });

  it.each(['BASE_URL', 'DATABASE_URL', 'SUPABASE_URL', 'SUPABASE_ANON_KEY', 'ENCRYPTION_KEY', 'COOKIE_KEYS'])(
    'production without %s names it and leaks no secret',
    (key) => {
      const problems = problemsFor({ ...PROD_OK, [key]: undefined });
      expect(problems.some((p) => p.startsWith(`${key} `))).toBe(true);
      for (const p of problems) {
        expect(p).toMatch(/for example/);
        for (const secret of SECRET_VALUES) expect(p).not.toContain(secret);
      }
    },
  );

  it.each([
    ['BASE_URL', 'http://mcp.example.com', 'BASE_URL must be https in production'],
    ['BASE_URL', 'https://mcp.example.com/', 'BASE_URL must be an origin without path'],
    ['BASE_URL', 'https://mcp.example.com/mcp', 'BASE_URL must be an origin without path'],
    ['PORT', 'eighty', 'PORT must be a whole number from 0 to 65535 (for example PORT=8080)'],
    ['PORT', 'abc', 'PORT must be a whole number from 0 to 65535 (for example PORT=8080)'],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535 (for example PORT=8080)'],
    ['PORT', '80.5', 'PORT must be a whole number from 0 to 65535'],
    ['ENCRYPTION_KEY', 'too-short-SECRETVALUE', 'ENCRYPTION_KEY must be 32 random bytes in base64'],
    ['COOKIE_KEYS', 'short-SECRETVALUE', 'COOKIE_KEYS each cookie key needs at least 32 characters'],
    ['DATABASE_URL', 'mysql://u:hunter2-db-password@x/db', 'DATABASE_URL must start with postgres://'],
    ['RATE_LIMIT_PER_HOUR', '0', 'RATE_LIMIT_PER_HOUR must be a whole number from 1 to 1000000 (for example RATE_LIMIT_PER_HOUR=100)'],
    [
      'ATHLETE_ID',
      '123abc',
      "ATHLETE_ID must be an Intervals.icu athlete id such as i123456 (or 0 for the key's owner) (for example ATHLETE_ID=i123456)",
    ],
    ['OPERATOR_CONTACT_URL', 'privacy page', 'OPERATOR_CONTACT_URL must be an http(s) URL or a mailto: address'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL '],
    ['SUPABASE_AUTH_PROVIDERS', 'GitHub', 'SUPABASE_AUTH_PROVIDERS provider names are lower-case'],
    ['ALLOWED_ORIGINS', 'claude.ai', 'ALLOWED_ORIGINS '],
  ])('%s=%s is rejected with a message naming it', (key, value, expected) => {
    const problems = problemsFor({ ...PROD_OK, [key]: value });
    expect(problems.find((p) => p.startsWith(expected))).toBeDefined();
    for (const p of problems) for (const secret of SECRET_VALUES) expect(p).not.toContain(secret);
  });

  it('reports every problem at once, one line each', () => {
    const problems = problemsFor({ NODE_ENV: 'production', PORT: 'x' });
    const keys = problems.map((p) => p.split(' ')[0]);
    expect(keys).toEqual(
      expect.arrayContaining(['PORT', 'BASE_URL', 'DATABASE_URL', 'SUPABASE_URL', 'SUPABASE_ANON_KEY', 'ENCRYPTION_KEY', 'COOKIE_KEYS']),
    );
  });

  it('requires the Supabase pair and the Intervals OAuth pair together', () => {
    expect(problemsFor({ SUPABASE_URL: 'https://x.supabase.co' })).toContain(
      "SUPABASE_ANON_KEY must be set together with SUPABASE_URL (for example SUPABASE_ANON_KEY=eyJhbGciOi... (the project's anon or publishable key))",
    );
    expect(
      problemsFor({ INTERVALS_OAUTH_CLIENT_ID: '12' }).some((p) => p.startsWith('INTERVALS_OAUTH_CLIENT_SECRET must be set together')),
    ).toBe(true);
  });

  it('the COOKIE_KEYS example is one a person can copy: a 44-character key and a placeholder of 32+ characters', () => {
    const [fresh, placeholder] = schemaModule.ENV_EXAMPLES.COOKIE_KEYS!.split(',');
    expect(fresh).toBe('$(openssl rand -base64 32)'); // prints 44 base64 characters
    expect(placeholder!.length).toBeGreaterThanOrEqual(32);
  });

  it('whole numbers keep their defaults and accept surrounding spaces', () => {
    expect(loadConfig({ PORT: ' 3000 ' }).PORT).toBe(3000);
    expect(loadConfig({}).SHUTDOWN_TIMEOUT_MS).toBe(10_000);
    expect(loadConfig({}).SERVICE_NAME).toBe('Intervals MCP');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).DATABASE_URL).toBeUndefined();
  });
});
