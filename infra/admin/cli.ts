/**
 * `npm run admin -- <command> ...`: the operator's tool, against the local run or a deployed stage.
 *
 *   create-storefront <id> [--name "Acme"]    creates it and prints its first API key (shown once)
 *   issue-key <id>                            another key, for rotation
 *   list-keys <id>
 *   revoke-key <id> <keyId>
 *   set-clearent <id> [--public-key pk]       reads the Clearent api-key from stdin (kept out of shell history)
 *
 * Target: `--local` (default; the running `npm start`) or `--stage dev|staging|prod` with AWS credentials
 * in the environment and `--table` (the stack's `TableName` output) or TABLE_NAME.
 */

import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStorefrontRepository } from '../../shared/store/storefronts';
import { readLocalEndpoints } from '../local/endpoints-file';
import { type AdminTarget, createStorefront, issueKey, revokeKey, setClearentCredentials } from './commands';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    local: { type: 'boolean' },
    stage: { type: 'string' },
    table: { type: 'string' },
    name: { type: 'string' },
    'public-key': { type: 'string' },
  },
});

function target(): AdminTarget {
  if (values.stage === undefined) {
    const local = readLocalEndpoints(process.env.DATA_DIR ?? '.data');
    const clientConfig = { region: local.region, credentials: local.credentials };
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...clientConfig, endpoint: local.dynamodb }));
    return {
      storefronts: new DynamoStorefrontRepository(db, local.tableName),
      secrets: new SecretsManagerClient({ ...clientConfig, endpoint: local.secretsManager }),
      secretPrefix: local.secretPrefix,
      keyMode: 'test',
    };
  }
  const tableName = values.table ?? process.env.TABLE_NAME;
  if (!tableName) throw new Error('--stage needs --table <the stack output TableName> or TABLE_NAME');
  return {
    storefronts: new DynamoStorefrontRepository(
      DynamoDBDocumentClient.from(new DynamoDBClient({})),
      tableName,
    ),
    secrets: new SecretsManagerClient({}),
    secretPrefix: `/payments/${values.stage}/storefronts/`,
    secretsKmsKeyId: `alias/payments/${values.stage}/storefront-secrets`,
    keyMode: values.stage === 'prod' ? 'live' : 'test',
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [command, storefrontId, extra] = positionals;
  if (!command || !storefrontId)
    throw new Error('usage: npm run admin -- <command> <storefrontId> (see infra/admin/cli.ts)');
  const admin = target();
  switch (command) {
    case 'create-storefront':
    case 'issue-key': {
      const issued =
        command === 'create-storefront'
          ? await createStorefront(admin, storefrontId, values.name ?? storefrontId)
          : await issueKey(admin, storefrontId);
      console.log(
        `storefront ${storefrontId}, key ${issued.keyId}. The API key, shown this once:\n${issued.apiKey}`,
      );
      return;
    }
    case 'list-keys':
      console.table(await admin.storefronts.listApiKeys(storefrontId));
      return;
    case 'revoke-key':
      if (!extra) throw new Error('usage: revoke-key <storefrontId> <keyId>');
      await revokeKey(admin, storefrontId, extra);
      console.log(`revoked ${extra}`);
      return;
    case 'set-clearent': {
      const apiKey = await readStdin();
      if (!apiKey) throw new Error('pipe the Clearent api-key on stdin');
      const secret = await setClearentCredentials(admin, storefrontId, {
        apiKey,
        publicKey: values['public-key'],
      });
      console.log(`Clearent credentials of ${storefrontId} written to ${secret}`);
      return;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
