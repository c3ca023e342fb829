import { reencryptAllSecrets } from '../accounts/reencrypt.js';
import { migrate } from '../store/migrate.js';
import { deleteAccountCommand, listAccounts, setAccountDisabled } from './accounts.js';
import { EXIT, type AdminContext } from './context.js';
import { rotateKeysCommand } from './rotate-keys.js';
import { sweepCommand } from './sweep.js';

export interface AdminCommand {
  /** Words typed after `admin`, e.g. ['accounts', 'disable']. */
  words: string[];
  /** Arguments shown in the help, e.g. '<id>'. */
  args?: string;
  summary: string;
  run(ctx: AdminContext, args: string[], flags: ReadonlySet<string>): Promise<number>;
}

export const COMMANDS: AdminCommand[] = [
  {
    words: ['migrate'],
    summary: "apply pending database migrations (what fly.toml's release_command runs), then exit",
    async run(ctx) {
      const applied = await migrate(ctx.store, ctx.migrations);
      ctx.out(
        applied.length > 0
          ? `Applied ${applied.length} migration(s): ${applied.join(', ')}.`
          : `Nothing to apply: all ${ctx.migrations.length} migration(s) were already applied.`,
      );
      return EXIT.ok;
    },
  },
  {
    words: ['rotate-keys'],
    args: '[lead-seconds] [--force]',
    summary:
      'publish a new OAuth signing key; it signs after the lead (default 300 s, at least SIGNING_KEYS_RELOAD_SECONDS + 5 s unless --force), the old one stays published until its tokens expire',
    run: (ctx, args, flags) => rotateKeysCommand(ctx, args, flags.has('--force')),
  },
  {
    words: ['reencrypt'],
    summary: 're-seal every stored secret under the current ENCRYPTION_KEY (old keys in PREVIOUS_ENCRYPTION_KEYS)',
    async run(ctx) {
      await ctx.requireMigrated();
      const box = await ctx.secretBox();
      const r = await reencryptAllSecrets(ctx.store, box);
      const parts = Object.keys(r.resealed).map((t) => `${t}: ${r.resealed[t]} re-sealed, ${r.current[t]} already current`);
      ctx.out(`Re-encrypted under key ${box.currentKeyId}. ${parts.join('; ')}.`);
      return EXIT.ok;
    },
  },
  { words: ['accounts', 'list'], summary: 'list accounts with their status and Intervals.icu link', run: (ctx) => listAccounts(ctx) },
  {
    words: ['accounts', 'disable'],
    args: '<id>',
    summary: 'stop an account from signing in, refreshing tokens and calling tools (data kept)',
    run: (ctx, [id]) => setAccountDisabled(ctx, id, true),
  },
  {
    words: ['accounts', 'enable'],
    args: '<id>',
    summary: 'undo `accounts disable`',
    run: (ctx, [id]) => setAccountDisabled(ctx, id, false),
  },
  {
    words: ['accounts', 'delete'],
    args: '<id> --yes',
    summary: 'delete an account and everything it owns (link, tokens, sessions); without --yes only shows what would go',
    run: (ctx, [id], flags) => deleteAccountCommand(ctx, id, flags.has('--yes')),
  },
  {
    words: ['sweep'],
    summary: 'delete expired rows (OAuth artefacts, rate-limit windows, sessions)',
    run: (ctx) => sweepCommand(ctx),
  },
];

/** The longest command whose words prefix `argv`, with the remaining arguments. */
export function findCommand(argv: string[]): { command: AdminCommand; rest: string[] } | undefined {
  const matches = COMMANDS.filter((c) => c.words.every((w, i) => argv[i] === w)).sort((a, b) => b.words.length - a.words.length);
  const command = matches[0];
  return command && { command, rest: argv.slice(command.words.length) };
}
