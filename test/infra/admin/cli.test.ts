/** The CLI as an operator runs it (`npm run admin -- ...` is `tsx infra/admin/cli.ts ...`), in a child process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
// A data folder with no local run in it: nothing here may reach one.
const dataDir = mkdtempSync(join(tmpdir(), 'admin-cli-'));

function admin(...argv: string[]) {
  const { status, stdout, stderr } = spawnSync(tsx, ['infra/admin/cli.ts', ...argv], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir },
    timeout: 30_000,
  });
  return { status, stdout, stderr };
}

describe('Command: npm run admin', () => {
  it('prints the usage of every command for --help, exit code 0', () => {
    const { status, stdout, stderr } = admin('--help');

    expect(status).toBe(0);
    expect(stdout).toContain('Usage: npm run admin -- <command>');
    for (const command of ['create-storefront', 'issue-key', 'list-keys', 'revoke-key', 'set-clearent']) {
      expect(stdout).toContain(command);
    }
    expect(stderr).toBe('');
  });

  it('answers an unknown command with a short error and the usage, exit code 2, no stack trace', () => {
    const { status, stdout, stderr } = admin('frobnicate', 'acme');

    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe('admin: unknown command "frobnicate"');
    expect(stderr).toContain('Usage: npm run admin -- <command>');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('says how to start a local run when none is running, exit code 1', () => {
    const { status, stderr } = admin('list-keys', 'demo');

    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      `no local run found (${join(dataDir, 'local-endpoints.json')}): start one with npm start`,
    );
  });
});
