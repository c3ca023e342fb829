import { configSchema, crossFieldProblems, ENV_EXAMPLES, type Config } from './schema.js';

export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const DEV_ORIGINS = ['http://localhost', 'http://127.0.0.1'];
const DEFAULT_ORIGINS = ['https://claude.ai', 'https://claude.com'];

/**
 * Parse the environment once. Throws ConfigError with one line per problem that names the
 * variable, says what is wrong and gives a valid example — never the offending value, which
 * may be a secret.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset: `FOO=` in an env file must not fail a schema that says "optional".
  const input = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = configSchema.safeParse(input);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ key: String(i.path[0] ?? 'config'), message: i.message }))),
    ...crossFieldProblems(input),
  ];
  if (!parsed.success || issues.length > 0) {
    const problems = issues.map(({ key, message }) => {
      const example = ENV_EXAMPLES[key];
      return `${key} ${message}${example ? ` (for example ${key}=${example})` : ''}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  const c = parsed.data;
  const baseUrl = c.BASE_URL ?? `http://localhost:${c.PORT}`;
  const isProduction = c.NODE_ENV === 'production';
  const allowed = c.ALLOWED_ORIGINS.length > 0 ? c.ALLOWED_ORIGINS : [...DEFAULT_ORIGINS, ...(isProduction ? [] : DEV_ORIGINS)];
  return Object.freeze({
    ...c,
    BASE_URL: baseUrl,
    ISSUER_URL: c.ISSUER_URL ?? baseUrl,
    ALLOWED_ORIGINS: Object.freeze(allowed.map((o) => (new URL(o).origin === 'null' ? o : o.replace(/\/$/, '')))),
    TRUST_PROXY: c.TRUST_PROXY ?? isProduction,
    MCP_RESOURCE: `${baseUrl}/mcp`,
    isProduction,
  }) as Config;
}
