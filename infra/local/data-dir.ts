/**
 * The local runtime's data folder (DATA_DIR): created private to the user, and claimed by one
 * runtime at a time. LevelDB locks its files too, but a second process only learns that on its first
 * request, as an obscure crash; the claim turns it into a clear message at start.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

/** A claimed data folder; `release()` lets the next runtime in. */
export interface DataDirClaim {
  readonly path: string;
  release(): void;
}

const claimFileName = 'runtime.pid';

/**
 * Creates `dataDir` (mode 0700) and claims it for this process.
 * @example const claim = claimDataDir('.data'); ...; claim.release();
 * @throws DataDirInUseError when another live process holds it.
 */
export function claimDataDir(dataDir: string): DataDirClaim {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const claimFile = join(dataDir, claimFileName);
  const holder = currentHolder(claimFile);
  if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
    throw new DataDirInUseError(
      `${dataDir} is in use by another local runtime (pid ${holder}); stop it or choose another DATA_DIR`,
    );
  }
  const fd = openSync(claimFile, 'w', 0o600);
  writeSync(fd, String(process.pid));
  closeSync(fd);
  return {
    path: dataDir,
    release: () => {
      if (currentHolder(claimFile) === process.pid) unlinkSync(claimFile);
    },
  };
}

function currentHolder(claimFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(claimFile, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
