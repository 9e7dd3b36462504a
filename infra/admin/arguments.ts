/**
 * What `npm run admin -- ...` was asked, read before anything is reached: help, a usage mistake (the CLI
 * answers it with exit code 2), or one command with its arguments and target.
 */
import { parseArgs } from 'node:util';

export const adminCommands = [
  'create-storefront',
  'issue-key',
  'list-keys',
  'revoke-key',
  'set-clearent',
] as const;

export type AdminCommand = (typeof adminCommands)[number];

export type AdminRequest =
  | { kind: 'help' }
  | { kind: 'mistake'; message: string }
  | {
      kind: 'command';
      command: AdminCommand;
      storefrontId: string;
      /** revoke-key's key id. */
      keyId?: string;
      /** create-storefront's display name; the id when absent. */
      name?: string;
      publicKey?: string;
      /** Absent: the running `npm start`. */
      stage?: string;
      table?: string;
    };

/** Every command, its arguments and the targets; printed for help and after a usage mistake. */
export const adminUsage = `Usage: npm run admin -- <command> <storefrontId> [arguments] [target]

Commands:
  create-storefront <storefrontId> [--name "Acme"]   create a storefront; prints its first API key, once
  issue-key <storefrontId>                           issue another API key (for rotation); printed once
  list-keys <storefrontId>                           list its keys: id, first characters, created, revoked
  revoke-key <storefrontId> <keyId>                  revoke a key: requests with it are refused from then on
  set-clearent <storefrontId> [--public-key <pk>]    store its Clearent credentials; the api-key is read
                                                     from stdin, so that it stays out of shell history
  help, -h, --help                                   print this

Target:
  --local (the default)      the running npm start, found through <DATA_DIR>/local-endpoints.json
                             (DATA_DIR as npm start has it; default .data)
  --stage dev|staging|prod   a deployed stage, with AWS credentials from the environment, and
  --table <TableName>        the stack's TableName output (or the TABLE_NAME variable)

Examples:
  npm run admin -- create-storefront acme --name "Acme"
  printf '%s' "$CLEARENT_API_KEY" | npm run admin -- set-clearent acme
  npm run admin -- revoke-key acme key_4Jp0wXcQ2kU --stage prod --table <TableName>
`;

const stages = ['dev', 'staging', 'prod'];

/**
 * Reads the command line (what follows `npm run admin --`).
 * @example parseAdminArguments(['issue-key', 'acme']); // { kind: 'command', command: 'issue-key', storefrontId: 'acme' }
 */
export function parseAdminArguments(argv: readonly string[]): AdminRequest {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // node:util's own words, e.g. "Unknown option '--nme'", "Option '--stage <value>' argument missing".
    return { kind: 'mistake', message: (error as Error).message.split('\n')[0] ?? 'invalid arguments' };
  }
  const { values, positionals } = parsed;
  const [command, storefrontId, keyId, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') return { kind: 'help' };
  if (!isAdminCommand(command)) return { kind: 'mistake', message: `unknown command "${command}"` };
  if (storefrontId === undefined) return { kind: 'mistake', message: `${command} needs a <storefrontId>` };
  if (command === 'revoke-key' && keyId === undefined) {
    return { kind: 'mistake', message: 'revoke-key needs a <keyId> after the storefront id (see list-keys)' };
  }
  const unexpected =
    command === 'revoke-key' ? extra : [keyId, ...extra].filter((word) => word !== undefined);
  if (unexpected.length > 0) return { kind: 'mistake', message: `unexpected argument "${unexpected[0]}"` };
  if (values.name !== undefined && command !== 'create-storefront') {
    return { kind: 'mistake', message: '--name is an option of create-storefront only' };
  }
  if (values['public-key'] !== undefined && command !== 'set-clearent') {
    return { kind: 'mistake', message: '--public-key is an option of set-clearent only' };
  }
  if (values.stage !== undefined && !stages.includes(values.stage)) {
    return { kind: 'mistake', message: `--stage must be one of ${stages.join(', ')}, got "${values.stage}"` };
  }
  if (values.local && values.stage !== undefined) {
    return { kind: 'mistake', message: '--local and --stage name different targets: give one' };
  }
  if (values.table !== undefined && values.stage === undefined) {
    return { kind: 'mistake', message: '--table goes with --stage (the local run knows its table)' };
  }
  return {
    kind: 'command',
    command,
    storefrontId,
    ...(command === 'revoke-key' ? { keyId } : {}),
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values['public-key'] === undefined ? {} : { publicKey: values['public-key'] }),
    ...(values.stage === undefined ? {} : { stage: values.stage }),
    ...(values.table === undefined ? {} : { table: values.table }),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      local: { type: 'boolean' },
      stage: { type: 'string' },
      table: { type: 'string' },
      name: { type: 'string' },
      'public-key': { type: 'string' },
    },
  });
}

function isAdminCommand(word: string): word is AdminCommand {
  return (adminCommands as readonly string[]).includes(word);
}
