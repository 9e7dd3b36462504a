import { adminCommands, adminUsage, parseAdminArguments } from '../../../infra/admin/arguments';

describe('Function: parseAdminArguments', () => {
  it.each([[[]], [['--help']], [['-h']], [['help']], [['issue-key', 'acme', '--help']]])(
    'reads %j as a request for help',
    (argv) => {
      expect(parseAdminArguments(argv)).toEqual({ kind: 'help' });
    },
  );

  it.each([
    [['frobnicate', 'acme'], 'unknown command "frobnicate"'],
    [['create-storefront'], 'create-storefront needs a <storefrontId>'],
    [['revoke-key', 'acme'], 'revoke-key needs a <keyId> after the storefront id (see list-keys)'],
    [['issue-key', 'acme', 'key_1'], 'unexpected argument "key_1"'],
    [['issue-key', 'acme', '--name', 'Acme'], '--name is an option of create-storefront only'],
    [['list-keys', 'acme', '--stage', 'qa'], '--stage must be one of dev, staging, prod, got "qa"'],
    [
      ['list-keys', 'acme', '--stage', 'dev', '--local'],
      '--local and --stage name different targets: give one',
    ],
    [
      ['list-keys', 'acme', '--table', 'payments'],
      '--table goes with --stage (the local run knows its table)',
    ],
  ])('reads %j as the mistake: %s', (argv, message) => {
    expect(parseAdminArguments(argv)).toEqual({ kind: 'mistake', message });
  });

  it('reads an unknown option as a one-line mistake, in node:util words', () => {
    const request = parseAdminArguments(['issue-key', 'acme', '--nme', 'x']);

    expect(request).toMatchObject({ kind: 'mistake', message: expect.stringContaining("'--nme'") });
    expect((request as { message: string }).message).not.toContain('\n');
  });

  it('reads a command, its arguments and its target', () => {
    expect(parseAdminArguments(['create-storefront', 'acme', '--name', 'Acme'])).toEqual({
      kind: 'command',
      command: 'create-storefront',
      storefrontId: 'acme',
      name: 'Acme',
    });
    expect(parseAdminArguments(['revoke-key', 'acme', 'key_1', '--stage', 'prod', '--table', 't'])).toEqual({
      kind: 'command',
      command: 'revoke-key',
      storefrontId: 'acme',
      keyId: 'key_1',
      stage: 'prod',
      table: 't',
    });
    expect(parseAdminArguments(['set-clearent', 'acme', '--public-key', 'pk_1', '--local'])).toEqual({
      kind: 'command',
      command: 'set-clearent',
      storefrontId: 'acme',
      publicKey: 'pk_1',
    });
  });
});

describe('Constant: adminUsage', () => {
  it('names every command and both targets', () => {
    for (const command of [...adminCommands, '--help', '--local', '--stage', '--table']) {
      expect(adminUsage).toContain(command);
    }
  });
});
