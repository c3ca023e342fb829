/**
 * The environment of an `npm` command run by hand on this machine: ours (network, CA
 * certificates, HOME for npm's cache) minus what the surrounding `npm test` injected (npm_*
 * settings such as npm_config_prefix would leak into the install). Prefers the local npm cache,
 * as a warm build cache would: an install stays a genuine install from the registry's metadata.
 */
export function npmEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k) && k !== 'NODE_OPTIONS') env[k] = v;
  return { ...env, npm_config_prefer_offline: 'true' };
}
