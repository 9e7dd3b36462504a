import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimDataDir, DataDirInUseError } from '../../../infra/local/data-dir';

describe('Function: claimDataDir', () => {
  let parent: string;

  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'local-data-dir-'));
  });

  afterEach(() => {
    rmSync(parent, { recursive: true, force: true });
  });

  it('creates the folder private to its owner and frees it on release', () => {
    // Prepare
    const dataDir = join(parent, 'data');

    // Act
    const claim = claimDataDir(dataDir);
    const claimed = existsSync(join(dataDir, 'runtime.pid'));
    claim.release();

    // Assess
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(claimed).toBe(true);
    expect(existsSync(join(dataDir, 'runtime.pid'))).toBe(false);
  });

  it('refuses a folder claimed by another live process', () => {
    // Prepare
    writeFileSync(join(parent, 'runtime.pid'), String(process.ppid));

    // Act
    const claiming = () => claimDataDir(parent);

    // Assess
    expect(claiming).toThrow(DataDirInUseError);
  });

  it('takes over a folder whose claimant has exited', () => {
    // Prepare
    const exited = spawnSync(process.execPath, ['-e', '']);
    writeFileSync(join(parent, 'runtime.pid'), String(exited.pid));

    // Act
    const claim = claimDataDir(parent);

    // Assess
    expect(existsSync(join(parent, 'runtime.pid'))).toBe(true);
    claim.release();
  });
});
