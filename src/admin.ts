import { ConfigError, loadConfig } from './config/load.js';
import { createSecretBox, type SecretBox } from './crypto/secret-box.js';
import { reencryptAllSecrets } from './accounts/reencrypt.js';
import { rotateSigningKeys } from './auth/keys.js';
import { scrubText } from './logger.js';
import { resolveSecrets } from './store/app-secrets.js';
import { migrate } from './store/migrate.js';
import { openStore } from './store/open.js';
import type { Store } from './store/store.js';

/**
 * Operator commands: `npm run admin -- <command>` (or `node dist/src/admin.js <command>`), with the
 * same environment as the server. Each prints one line for people and exits non-zero on failure.
 */
interface Command {
  help: string;
  run(ctx: { store: Store; box: SecretBox }): Promise<string>;
}

const COMMANDS: Record<string, Command> = {
  reencrypt: {
    help: 'Re-seal every stored secret under the current ENCRYPTION_KEY. Run after rotating it, with the old key in PREVIOUS_ENCRYPTION_KEYS; afterwards the old key can be dropped.',
    async run({ store, box }) {
      const r = await reencryptAllSecrets(store, box);
      const parts = Object.keys(r.resealed).map((t) => `${t}: ${r.resealed[t]} re-sealed, ${r.current[t]} already current`);
      return `Re-encrypted under key ${box.currentKeyId}. ${parts.join('; ')}.`;
    },
  },
  'rotate-signing-keys': {
    help: 'Publish a new OAuth signing key now; it starts signing after the publish lead time and the old one is retired once its tokens expired.',
    async run({ store, box }) {
      const k = await rotateSigningKeys(store, box);
      return `New signing key ${k.kid} signs from ${k.activatesAt.toISOString()}.`;
    },
  },
};

function usage(): string {
  return ['Usage: npm run admin -- <command>', '', ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(22)}${c.help}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const command = COMMANDS[argv[0] ?? ''];
  if (!command) {
    process.stderr.write(`${argv[0] ? `Unknown command "${argv[0]}".\n\n` : ''}${usage()}\n`);
    return 64; // EX_USAGE
  }
  const config = loadConfig(process.env);
  const store = await openStore(config);
  try {
    await migrate(store);
    const box = createSecretBox(await resolveSecrets(config, store));
    process.stdout.write(`${await command.run({ store, box })}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`Failed: ${scrubText(String((err as Error)?.message ?? err))}\n`);
    process.exit(1);
  },
);
