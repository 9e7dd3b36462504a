/**
 * The local Secrets Manager's storage: secrets with their versions and staging labels, in memory or
 * in one JSON file (mode 0600) rewritten atomically on every change, so a Ctrl-C never loses or
 * corrupts a secret.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { localAccountId, localRegion } from './local-aws';

export const currentStage = 'AWSCURRENT';
export const previousStage = 'AWSPREVIOUS';

/** One value of a secret; exactly one of `secretString` / `secretBinary` (base64) is set. */
export interface SecretVersion {
  versionId: string;
  secretString?: string;
  secretBinary?: string;
  createdDate: number;
  stages: string[];
}

export interface StoredSecret {
  name: string;
  arn: string;
  description?: string;
  tags: { Key: string; Value: string }[];
  createdDate: number;
  lastChangedDate: number;
  versions: SecretVersion[];
}

export type SecretValue = Pick<SecretVersion, 'secretString' | 'secretBinary'>;

export interface SecretStore {
  /** By name or ARN. */
  find(secretId: string): StoredSecret | undefined;
  all(): readonly StoredSecret[];
  /** Adds a new secret; the caller has checked the name is free. */
  add(secret: Omit<StoredSecret, 'arn' | 'createdDate' | 'lastChangedDate' | 'versions'>): StoredSecret;
  /** Adds a version that becomes AWSCURRENT; the former current one becomes AWSPREVIOUS. */
  addVersion(secret: StoredSecret, value: SecretValue, versionId?: string): SecretVersion;
  /** Removes it at once (the service's `ForceDeleteWithoutRecovery`; there is no recovery window here). */
  remove(secret: StoredSecret): void;
}

/**
 * A store kept in `file` (created on first change), or in memory when `file` is undefined.
 * @example const store = openSecretStore('.data/secrets.json');
 */
export function openSecretStore(file?: string): SecretStore {
  const secrets: StoredSecret[] = file ? load(file) : [];
  const save = () => {
    if (!file) return;
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    renameSync(temporary, file);
  };
  return {
    find: (secretId) => secrets.find((secret) => secret.name === secretId || secret.arn === secretId),
    all: () => secrets,
    add: (fields) => {
      const now = nowInSeconds();
      const secret: StoredSecret = {
        ...fields,
        arn: secretArn(fields.name),
        createdDate: now,
        lastChangedDate: now,
        versions: [],
      };
      secrets.push(secret);
      save();
      return secret;
    },
    addVersion: (secret, value, versionId = randomUUID()) => {
      for (const version of secret.versions) {
        version.stages = version.stages.includes(currentStage) ? [previousStage] : [];
      }
      const version: SecretVersion = {
        versionId,
        ...value,
        createdDate: nowInSeconds(),
        stages: [currentStage],
      };
      // Like the real service, versions without a staging label are dropped.
      secret.versions = [...secret.versions.filter((v) => v.stages.length > 0), version];
      secret.lastChangedDate = version.createdDate;
      save();
      return version;
    },
    remove: (secret) => {
      const index = secrets.indexOf(secret);
      if (index >= 0) secrets.splice(index, 1);
      save();
    },
  };
}

function load(file: string): StoredSecret[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const secrets: unknown = JSON.parse(text);
    if (Array.isArray(secrets)) return secrets as StoredSecret[];
  } catch {
    // The parser's message quotes the file's text, which holds secrets: it is not passed on.
  }
  throw new Error(`the local secrets file ${file} is not a JSON array of secrets; fix or delete it`);
}

/** Real ARNs end with a dash and six random characters, so a recreated secret gets a new ARN. */
function secretArn(name: string): string {
  const suffix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 6);
  return `arn:aws:secretsmanager:${localRegion}:${localAccountId}:secret:${name}-${suffix}`;
}

/** The service's timestamps are epoch seconds with a fraction. */
function nowInSeconds(): number {
  return Date.now() / 1000;
}
