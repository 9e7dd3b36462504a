/**
 * The AWS SDK's exceptions, as our code classifies them, in a bundle as deployed: minified, class names
 * not kept (infra/bundling.ts). `error instanceof ConditionalCheckFailedException` goes to the SDK's
 * `ServiceException[Symbol.hasInstance]` (@smithy/core, smithy-client/exceptions.js), which decides by
 * prototype and the class's `shapeId` before it ever compares class names; this runs the real clients,
 * bundled, against the local stand-ins (dynalite, the Secrets Manager stand-in), in a child process, and
 * checks our own classification of what they answer: shared/store/dynamo.ts (a refused conditional write)
 * and shared/secrets/webhook-secrets.ts (a secret that already exists, or is already gone).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { esbuildOptionsOf } from '../../bench/cdk-esbuild';
import { bundlingOptions } from '../../infra/bundling';
import { localCredentials, localRegion } from '../../infra/local/local-aws';
import { type LocalSecretsManager, startLocalSecretsManager } from '../../infra/local/secrets-manager';
import { startTestTable, type TestTable } from '../support/local-table';

const projectRoot = join(__dirname, '..', '..');

/**
 * The bundled entry: every SDK call our code classifies, made through our code and, for the raw
 * `instanceof` (which `isConditionFailure` backs with a check of `error.name`), directly. Each class is
 * tried against each error, so a check that accepted any exception would show; DynamoDB's and Secrets
 * Manager's ResourceNotFoundException share a `name` but not a class.
 */
const entrySource = (root: string) => `
import { ConditionalCheckFailedException, ResourceNotFoundException as TableNotFoundException } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, DeleteSecretCommand, ResourceExistsException, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SecretsManagerWebhookSecrets } from '${root}/shared/secrets/webhook-secrets';
import { documentClient, isConditionFailure, sendConditional } from '${root}/shared/store/dynamo';

const classes = { ConditionalCheckFailedException, TableNotFoundException, ResourceExistsException, ResourceNotFoundException };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try { await promise; } catch (error) { return error; }
  throw new Error('expected the call to fail');
}
function classified(error: unknown) {
  return {
    name: error instanceof Error ? error.name : String(error),
    instanceOf: Object.entries(classes).filter(([, type]) => error instanceof type).map(([name]) => name),
    isConditionFailure: isConditionFailure(error),
  };
}
/** What our call did: its result, or the name of what it threw. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try { return (await promise) ?? 'done'; } catch (error) { return error instanceof Error ? 'threw ' + error.name : error; }
}

export async function run(table: string) {
  const db = documentClient();
  const put = (tableName = table) => new PutCommand({
    TableName: tableName, Item: { pk: 'sdk-exceptions', sk: 'item' }, ConditionExpression: 'attribute_not_exists(pk)',
  });
  const secrets = new SecretsManagerWebhookSecrets();
  const sdk = new SecretsManagerClient({});
  const name = '/payments/test/sdk-exceptions/endpoint';
  return {
    bundledClassNames: Object.values(classes).map((type) => type.name),
    sendConditional: {
      first: await outcome(sendConditional(db, put())),
      refused: await outcome(sendConditional(db, put())),
      noSuchTable: await outcome(sendConditional(db, put('no-such-table'))),
    },
    webhookSecrets: {
      create: await outcome(secrets.create(name, 'whsec_1')),
      createExisting: await outcome(secrets.create(name, 'whsec_1')),
      createInvalid: await outcome(secrets.create('not a valid name?', 'whsec_1')),
      remove: await outcome(secrets.remove(name)),
      removeMissing: await outcome(secrets.remove(name)),
    },
    errors: {
      refusedPut: classified(await rejection(db.send(put()))),
      noSuchTable: classified(await rejection(db.send(put('no-such-table')))),
      secretExists: classified(await rejection(secrets.create(name, 'x').then(() => sdk.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }))))),
      secretMissing: classified(await rejection(sdk.send(new DeleteSecretCommand({ SecretId: name + '/missing' })))),
    },
  };
}
`;

describe('AWS SDK exceptions in a bundle without kept names', () => {
  let outdir: string;
  let table: TestTable;
  let secrets: LocalSecretsManager;
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'sdk-exceptions-'));
    // So that the entry written here resolves the project's packages (the same copies our code uses).
    symlinkSync(join(projectRoot, 'node_modules'), join(outdir, 'node_modules'), 'dir');
    [table, secrets] = await Promise.all([startTestTable('dynalite'), startLocalSecretsManager({})]);
  });
  afterAll(async () => {
    await Promise.all([table?.close(), secrets?.close()]);
    rmSync(outdir, { recursive: true, force: true });
  });

  it('are told apart by our code as in the sources: a refused write, an existing secret, a missing one', async () => {
    const entry = join(outdir, 'entry.ts');
    writeFileSync(entry, entrySource(projectRoot));
    const options = esbuildOptionsOf(bundlingOptions, entry, join(outdir, 'fn'), projectRoot);
    await build({ ...options, logLevel: 'silent' });

    // Stand-ins answer from this process: the child must not block it (no spawnSync).
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(options.outfile)}).run(process.argv[1]).then((r) => process.stdout.write(JSON.stringify(r)))`,
        table.tableName,
      ],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: localRegion,
          AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
        },
      },
    );
    const result = JSON.parse(stdout) as { bundledClassNames: string[] };

    // The bundle minified the classes' names (all four were `t` when this was written): what follows
    // cannot rely on them.
    for (const name of result.bundledClassNames) expect(name).toMatch(/^[\w$]{1,3}$/);
    expect(result).toEqual({
      bundledClassNames: expect.any(Array),
      sendConditional: { first: true, refused: false, noSuchTable: 'threw ResourceNotFoundException' },
      webhookSecrets: {
        create: 'done',
        createExisting: 'done',
        createInvalid: 'threw ValidationException',
        remove: 'done',
        removeMissing: 'done',
      },
      errors: {
        refusedPut: {
          name: 'ConditionalCheckFailedException',
          instanceOf: ['ConditionalCheckFailedException'],
          isConditionFailure: true,
        },
        noSuchTable: {
          name: 'ResourceNotFoundException',
          instanceOf: ['TableNotFoundException'],
          isConditionFailure: false,
        },
        secretExists: {
          name: 'ResourceExistsException',
          instanceOf: ['ResourceExistsException'],
          isConditionFailure: false,
        },
        secretMissing: {
          name: 'ResourceNotFoundException',
          instanceOf: ['ResourceNotFoundException'],
          isConditionFailure: false,
        },
      },
    });
  }, 120_000);
});
