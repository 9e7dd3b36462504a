/**
 * A function's floor: the smallest bundle that does what the AWS SDK makes any version of the function
 * do. It imports only the SDK clients the function's bundle holds, constructs them at module scope as
 * our code does (shared/store/dynamo.ts, the SQS queues; Powertools' `getSecret` makes its own
 * `SecretsManagerClient`), and its handler makes each client's first call, once, against the same local
 * endpoints: a GetItem through the document client, a GetSecretValue, a SendMessageBatch. It is bundled
 * with the function's own esbuild options (infra/bundling.ts), so what the function weighs or takes
 * beyond its floor is our code and the other packages, not the SDK.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlingOptions } from '../infra/bundling';
import type { FunctionName } from '../infra/routes';
import { type BuiltBundle, buildMeasured, projectRoot } from './bundle-build';
import { esbuildOptionsOf } from './cdk-esbuild';

/** The SDK packages a floor knows how to construct and call, in the order it calls them. */
export const floorPackages = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-secrets-manager',
  '@aws-sdk/client-sqs',
] as const;

export type FloorPackage = (typeof floorPackages)[number];

/** What the floor's handler is asked for: the same item, secret and queue as the function uses. */
export interface FloorEvent {
  tableName: string;
  /** An item that exists: its GetItem must find it. */
  key: { pk: string; sk: string };
  secretId: string;
  queueUrl: string;
}

export class UnknownSdkClientError extends Error {
  override readonly name = 'UnknownSdkClientError';
}

/**
 * The SDK clients in a function's bundle (from esbuild's metafile): the `@aws-sdk/client-*` packages and
 * the document client. A client the floor cannot construct throws, so that a new one is not silently
 * left out of the floor. Empty: the function uses no SDK and has no floor.
 */
export function floorPackagesOf(packageBytes: Record<string, number>): FloorPackage[] {
  const clients = Object.keys(packageBytes).filter((name) =>
    /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)$/.test(name),
  );
  const unknown = clients.filter((name) => !(floorPackages as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new UnknownSdkClientError(
      `bench/floor.ts does not know how to construct ${unknown.join(', ')}: add it to floorPackages and floorSource`,
    );
  }
  if (clients.includes('@aws-sdk/lib-dynamodb') && !clients.includes('@aws-sdk/client-dynamodb')) {
    throw new UnknownSdkClientError('the document client without @aws-sdk/client-dynamodb');
  }
  return floorPackages.filter((name) => clients.includes(name));
}

/**
 * The floor's entry (ES module syntax; esbuild writes the function's format): the clients made when our
 * code makes them (DynamoDB and SQS at module scope; Secrets Manager on the first read, as
 * shared/secrets/secret-reader.ts does), their first calls in the handler, and a trivial success (a
 * failed call throws).
 */
export function floorSource(packages: readonly FloorPackage[]): string {
  const has = (name: FloorPackage) => packages.includes(name);
  const imports: string[] = [];
  const clients: string[] = [];
  const calls: string[] = [];
  if (has('@aws-sdk/lib-dynamodb')) {
    imports.push(
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
    );
    clients.push(
      'const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {',
      '  marshallOptions: { removeUndefinedValues: true },',
      '});',
    );
    calls.push(
      '  const { Item } = await db.send(',
      '    new GetCommand({ TableName: event.tableName, Key: event.key, ConsistentRead: true }),',
      '  );',
      "  if (Item === undefined) throw new Error('the floor GetItem found no item');",
    );
  } else if (has('@aws-sdk/client-dynamodb')) {
    imports.push("import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';");
    clients.push('const db = new DynamoDBClient({});');
    calls.push(
      '  const key = { pk: { S: event.key.pk }, sk: { S: event.key.sk } };',
      '  const { Item } = await db.send(',
      '    new GetItemCommand({ TableName: event.tableName, Key: key, ConsistentRead: true }),',
      '  );',
      "  if (Item === undefined) throw new Error('the floor GetItem found no item');",
    );
  }
  if (has('@aws-sdk/client-secrets-manager')) {
    imports.push(
      "import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
    );
    clients.push('let secrets;');
    calls.push(
      '  secrets ??= new SecretsManagerClient({});',
      '  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: event.secretId }));',
      "  if (!SecretString) throw new Error('the floor GetSecretValue read no string');",
    );
  }
  if (has('@aws-sdk/client-sqs')) {
    imports.push("import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';");
    clients.push('const sqs = new SQSClient({});');
    calls.push(
      '  const { Successful = [] } = await sqs.send(',
      "    new SendMessageBatchCommand({ QueueUrl: event.queueUrl, Entries: [{ Id: '0', MessageBody: '{}' }] }),",
      '  );',
      "  if (Successful.length !== 1) throw new Error('the floor SendMessageBatch was refused');",
    );
  }
  return [
    `// The floor of a function using ${packages.join(', ')} (bench/floor.ts).`,
    ...imports,
    '',
    ...clients,
    '',
    'export const handler = async (event) => {',
    ...calls,
    "  return { statusCode: 200, body: '{}' };",
    '};',
    '',
  ].join('\n');
}

/**
 * Writes the floor's entry in a folder of its own (its `node_modules` a link to the project's, so that
 * the same packages resolve) and bundles it into `outdir/floors/<name>/` with `bundlingOptions`. Its
 * command hooks are not run: they add the function's lazy files, which a floor has none of.
 */
export async function buildFloorBundle(
  name: FunctionName,
  packages: readonly FloorPackage[],
  outdir: string,
): Promise<Omit<BuiltBundle, 'name' | 'lazyFiles'>> {
  const entryDir = mkdtempSync(join(tmpdir(), `payments-floor-${name}-`));
  try {
    symlinkSync(join(projectRoot, 'node_modules'), join(entryDir, 'node_modules'), 'dir');
    const entry = join(entryDir, 'floor.js');
    writeFileSync(entry, floorSource(packages));
    const assetDir = join(outdir, 'floors', name);
    mkdirSync(assetDir, { recursive: true });
    return await buildMeasured(esbuildOptionsOf(bundlingOptions, entry, assetDir, projectRoot));
  } finally {
    rmSync(entryDir, { recursive: true, force: true });
  }
}

/** Why `answer` is not the floor's success; undefined when it is. */
export function floorProblem(answer: unknown): string | undefined {
  const status = (answer as { statusCode?: unknown } | undefined)?.statusCode;
  return status === 200 ? undefined : 'the floor did not answer 200';
}
