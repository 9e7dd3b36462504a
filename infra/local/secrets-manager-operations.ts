/**
 * The Secrets Manager operations the project uses (the handlers read, the admin CLI writes), with the
 * real service's request and response fields and error types.
 */
import {
  currentStage,
  type SecretStore,
  type SecretValue,
  type SecretVersion,
  type StoredSecret,
} from './secret-store';

/** An error the SDK recognises by `type` (its `__type`), e.g. ResourceNotFoundException. */
export class SecretsManagerError extends Error {
  override readonly name = 'SecretsManagerError';
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
export type SecretsManagerOperation = (store: SecretStore, input: Input) => Output;

const secretNamePattern = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const defaultPageSize = 100;

/** By `X-Amz-Target` operation name. */
export const secretsManagerOperations: Readonly<Record<string, SecretsManagerOperation>> = {
  GetSecretValue: (store, input) => {
    const secret = existingSecret(store, input);
    const versionId = optionalString(input, 'VersionId');
    const stage = optionalString(input, 'VersionStage') ?? (versionId ? undefined : currentStage);
    const version = secret.versions.find(
      (v) => (!versionId || v.versionId === versionId) && (!stage || v.stages.includes(stage)),
    );
    if (!version) {
      const wanted = versionId ? `VersionId: ${versionId}` : `staging label: ${stage}`;
      throw notFound(`Secrets Manager can't find the specified secret value for ${wanted}`);
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      SecretString: version.secretString,
      SecretBinary: version.secretBinary,
      VersionStages: version.stages,
      CreatedDate: version.createdDate,
    };
  },

  CreateSecret: (store, input) => {
    const name = requiredString(input, 'Name');
    if (!secretNamePattern.test(name)) {
      throw new SecretsManagerError(
        'ValidationException',
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    if (store.find(name)) {
      throw new SecretsManagerError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const value = optionalValue(input);
    const secret = store.add({ name, description: optionalString(input, 'Description'), tags: tags(input) });
    const version = value
      ? store.addVersion(secret, value, optionalString(input, 'ClientRequestToken'))
      : undefined;
    return { ARN: secret.arn, Name: secret.name, VersionId: version?.versionId };
  },

  PutSecretValue: (store, input) => {
    const secret = existingSecret(store, input);
    const value = optionalValue(input);
    if (!value) {
      throw new SecretsManagerError(
        'InvalidParameterException',
        'You must provide either SecretString or SecretBinary.',
      );
    }
    const versionId = optionalString(input, 'ClientRequestToken');
    const existing = secret.versions.find((v) => v.versionId === versionId);
    const version = existing ? sameValueOrThrow(existing, value) : store.addVersion(secret, value, versionId);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      VersionStages: version.stages,
    };
  },

  DeleteSecret: (store, input) => {
    const secret = existingSecret(store, input);
    store.remove(secret);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: Math.floor(Date.now() / 1000) };
  },

  DescribeSecret: (store, input) => {
    const secret = existingSecret(store, input);
    return { ...summary(secret), VersionIdsToStages: versionsToStages(secret) };
  },

  ListSecrets: (store, input) => {
    const prefixes = nameFilterPrefixes(input);
    const matching = store
      .all()
      .filter((s) => !prefixes || prefixes.some((prefix) => s.name.startsWith(prefix)));
    const start = pageStart(input);
    const pageSize = typeof input.MaxResults === 'number' ? input.MaxResults : defaultPageSize;
    const end = start + pageSize;
    return {
      SecretList: matching
        .slice(start, end)
        .map((s) => ({ ...summary(s), SecretVersionsToStages: versionsToStages(s) })),
      NextToken: end < matching.length ? Buffer.from(String(end)).toString('base64') : undefined,
    };
  },
};

function existingSecret(store: SecretStore, input: Input): StoredSecret {
  const secret = store.find(requiredString(input, 'SecretId'));
  if (!secret) throw notFound("Secrets Manager can't find the specified secret.");
  return secret;
}

function notFound(message: string): SecretsManagerError {
  return new SecretsManagerError('ResourceNotFoundException', message);
}

function requiredString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new SecretsManagerError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionalValue(input: Input): SecretValue | undefined {
  const secretString = optionalString(input, 'SecretString');
  const secretBinary = optionalString(input, 'SecretBinary');
  if (secretString !== undefined && secretBinary !== undefined) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (secretString !== undefined) return { secretString };
  return secretBinary !== undefined ? { secretBinary } : undefined;
}

/** A retried PutSecretValue (same ClientRequestToken) is idempotent only with the same value. */
function sameValueOrThrow(version: SecretVersion, value: SecretValue): SecretVersion {
  if (version.secretString === value.secretString && version.secretBinary === value.secretBinary)
    return version;
  throw new SecretsManagerError(
    'ResourceExistsException',
    "You can't modify an existing version, you can only create a new version.",
  );
}

function tags(input: Input): StoredSecret['tags'] {
  const list = Array.isArray(input.Tags) ? (input.Tags as unknown[]) : [];
  return list.flatMap((tag) => {
    const { Key, Value } = (tag ?? {}) as Record<string, unknown>;
    return typeof Key === 'string' ? [{ Key, Value: typeof Value === 'string' ? Value : '' }] : [];
  });
}

function summary(secret: StoredSecret): Output {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    CreatedDate: secret.createdDate,
    LastChangedDate: secret.lastChangedDate,
    Tags: secret.tags,
  };
}

function versionsToStages(secret: StoredSecret): Record<string, string[]> {
  return Object.fromEntries(secret.versions.map((v) => [v.versionId, v.stages]));
}

/** Only the `name` filter (prefix match, as in the real service) is needed; others are refused, not ignored. */
function nameFilterPrefixes(input: Input): string[] | undefined {
  if (!Array.isArray(input.Filters) || input.Filters.length === 0) return undefined;
  return (input.Filters as unknown[]).flatMap((filter) => {
    const { Key, Values } = (filter ?? {}) as Record<string, unknown>;
    if (Key !== 'name') {
      throw new SecretsManagerError(
        'InvalidParameterException',
        `The local Secrets Manager supports only the name filter, not ${String(Key)}.`,
      );
    }
    return Array.isArray(Values) ? Values.filter((v): v is string => typeof v === 'string') : [];
  });
}

function pageStart(input: Input): number {
  const token = optionalString(input, 'NextToken');
  if (token === undefined) return 0;
  const start = Number(Buffer.from(token, 'base64').toString('utf8'));
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new SecretsManagerError('InvalidNextTokenException', 'The NextToken value is not valid.');
  }
  return start;
}
