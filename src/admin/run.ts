import { ConfigError } from '../config/load.js';
import { scrubText } from '../logger.js';
import { COMMANDS, findCommand } from './commands.js';
import { AdminError, EXIT, openAdminContext, type AdminIo } from './context.js';

/** The operator command line, without the process around it (tests call runAdmin directly). */
export function helpText(): string {
  const rows = COMMANDS.map((c) => [`${c.words.join(' ')}${c.args ? ` ${c.args}` : ''}`, c.summary]);
  const width = Math.max(...rows.map(([u]) => u!.length));
  return [
    'Usage: npm run admin -- <command>   (in the image: node dist/src/admin.js <command>)',
    '',
    'Commands:',
    ...rows.map(([u, s]) => `  ${u!.padEnd(width)}  ${s}`),
    '',
    'Configuration comes from the environment, exactly as for the server (DATABASE_URL, ENCRYPTION_KEY, …).',
    '',
    'Exit codes: 0 done, 1 failed, 2 account not found, 64 usage error (or --yes missing),',
    '            69 command not available in this build, 78 invalid configuration.',
  ].join('\n');
}

export async function runAdmin(argv: string[], env: NodeJS.ProcessEnv, io: AdminIo): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const words = argv.filter((a) => !a.startsWith('--'));
  if (flags.has('--help') || flags.has('-h') || words.length === 0 || words[0] === 'help') {
    io.out(helpText());
    return words.length === 0 && !flags.has('--help') ? EXIT.usage : EXIT.ok;
  }
  const found = findCommand(words);
  if (!found) {
    io.err(`Unknown command: ${words.join(' ')}. Run with --help to list the commands.`);
    return EXIT.usage;
  }
  const known = new Set(found.command.args?.match(/--[a-z-]+/g) ?? []);
  const unknownFlag = [...flags].find((f) => !known.has(f));
  if (unknownFlag) {
    io.err(`Unknown option ${unknownFlag} for \`${found.command.words.join(' ')}\`. Run with --help.`);
    return EXIT.usage;
  }
  let ctx;
  try {
    ctx = await openAdminContext(env, io);
    return await found.command.run(ctx, found.rest, flags);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(err.message);
      return EXIT.config;
    }
    if (err instanceof AdminError) {
      io.err(err.message);
      return err.exitCode;
    }
    // Driver errors can carry connection strings; scrub before printing.
    io.err(`Failed: ${scrubText(String((err as Error)?.message ?? err))}`);
    return EXIT.failed;
  } finally {
    await ctx?.close().catch(() => undefined);
  }
}
