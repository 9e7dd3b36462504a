/**
 * Where a running `npm start` can be reached by other local tools (the admin CLI): written at start into
 * the data folder, removed at stop. It holds only local addresses and the local fake credentials.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalEndpoints {
  tableName: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  dynamodb: string;
  secretsManager: string;
  secretPrefix: string;
}

const fileIn = (dataDir: string) => join(dataDir, 'local-endpoints.json');

export function writeLocalEndpoints(dataDir: string, endpoints: LocalEndpoints): void {
  writeFileSync(fileIn(dataDir), `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
}

export function removeLocalEndpoints(dataDir: string): void {
  rmSync(fileIn(dataDir), { force: true });
}

export function readLocalEndpoints(dataDir: string): LocalEndpoints {
  const file = fileIn(dataDir);
  if (!existsSync(file)) throw new Error(`no local run found (${file}): start one with npm start`);
  return JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints;
}
