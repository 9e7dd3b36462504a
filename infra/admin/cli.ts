/**
 * `npm run admin -- <command> ...`: the operator's tool, against the local run or a deployed stage.
 * `npm run admin -- --help` lists the commands (arguments.ts). Exit codes: 0 done, 1 the command
 * failed (its message only), 2 a usage mistake (the mistake, then the usage).
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStorefrontRepository } from '../../shared/store/storefronts';
import { readLocalEndpoints } from '../local/endpoints-file';
import { type AdminRequest, adminUsage, parseAdminArguments } from './arguments';
import { type AdminTarget, createStorefront, issueKey, revokeKey, setClearentCredentials } from './commands';

type Command = Extract<AdminRequest, { kind: 'command' }>;

function target(request: Command): AdminTarget {
  if (request.stage === undefined) {
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
  const tableName = request.table ?? process.env.TABLE_NAME;
  if (!tableName) throw new Error('--stage needs --table <the stack output TableName> or TABLE_NAME');
  return {
    storefronts: new DynamoStorefrontRepository(
      DynamoDBDocumentClient.from(new DynamoDBClient({})),
      tableName,
    ),
    secrets: new SecretsManagerClient({}),
    secretPrefix: `/payments/${request.stage}/storefronts/`,
    secretsKmsKeyId: `alias/payments/${request.stage}/storefront-secrets`,
    keyMode: request.stage === 'prod' ? 'live' : 'test',
  };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) console.error('Paste the Clearent api-key, then press Enter and Ctrl-D:');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function run(request: Command): Promise<void> {
  const admin = target(request);
  const { command, storefrontId } = request;
  switch (command) {
    case 'create-storefront':
    case 'issue-key': {
      const issued =
        command === 'create-storefront'
          ? await createStorefront(admin, storefrontId, request.name ?? storefrontId)
          : await issueKey(admin, storefrontId);
      console.log(
        `storefront ${storefrontId}, key ${issued.keyId}. The API key, shown this once:\n${issued.apiKey}`,
      );
      return;
    }
    case 'list-keys':
      console.table(await admin.storefronts.listApiKeys(storefrontId));
      return;
    case 'revoke-key': {
      const keyId = request.keyId ?? '';
      await revokeKey(admin, storefrontId, keyId);
      console.log(`revoked ${keyId}`);
      return;
    }
    case 'set-clearent': {
      const apiKey = await readStdin();
      if (!apiKey) throw new Error('pipe the Clearent api-key on stdin');
      const secret = await setClearentCredentials(admin, storefrontId, {
        apiKey,
        publicKey: request.publicKey,
      });
      console.log(`Clearent credentials of ${storefrontId} written to ${secret}`);
      return;
    }
  }
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const request = parseAdminArguments(process.argv.slice(2));
  if (request.kind === 'help') {
    console.log(adminUsage);
    return 0;
  }
  if (request.kind === 'mistake') {
    console.error(`admin: ${request.message}\n\n${adminUsage}`);
    return 2;
  }
  await run(request);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
