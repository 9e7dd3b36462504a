/**
 * Storefronts and their API keys. A key is found by its hash (one GetItem per authorization); each key
 * also has an entry under its storefront, so an operator can list and revoke keys by id.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { randomToken } from '../ids';
import { hashApiKey } from '../storefronts/api-keys';
import { sendConditional } from './dynamo';
import { keys } from './keys';

export interface Storefront {
  storefrontId: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyEntry {
  storefrontId: string;
  keyId: string;
  /** The key's first characters, to tell keys apart in a listing. */
  hint: string;
  createdAt: string;
  revokedAt?: string;
}

export class DynamoStorefrontRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates the storefront; `false` when it already exists (nothing is changed). */
  async create(storefrontId: string, name: string): Promise<boolean> {
    const item: Storefront = { storefrontId, name, createdAt: this.now().toISOString() };
    return sendConditional(
      this.db,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.storefront(storefrontId), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(storefrontId: string): Promise<Storefront | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.storefront(storefrontId) }),
    );
    return Item ? { storefrontId: Item.storefrontId, name: Item.name, createdAt: Item.createdAt } : undefined;
  }

  /** Registers an API key (given in full once, stored as a hash) for the storefront. */
  async addApiKey(storefrontId: string, apiKey: string): Promise<ApiKeyEntry> {
    const hash = hashApiKey(apiKey);
    const entry: ApiKeyEntry = {
      storefrontId,
      keyId: `key_${randomToken(8)}`,
      hint: `${apiKey.slice(0, 12)}…`,
      createdAt: this.now().toISOString(),
    };
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.apiKeyHash(hash), ...entry } }),
    );
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.storefrontApiKey(storefrontId, entry.keyId), ...entry, hash },
      }),
    );
    return entry;
  }

  /** The storefront an API key belongs to, or `undefined` for an unknown or revoked key. */
  async findByApiKey(apiKey: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.apiKeyHash(hashApiKey(apiKey)) }),
    );
    if (!Item || Item.revokedAt) return undefined;
    return Item.storefrontId as string;
  }

  async listApiKeys(storefrontId: string): Promise<ApiKeyEntry[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :key)',
        ExpressionAttributeValues: { ':pk': keys.storefront(storefrontId).pk, ':key': 'KEY#' },
      }),
    );
    return Items.map(({ storefrontId: sf, keyId, hint, createdAt, revokedAt }) => ({
      storefrontId: sf,
      keyId,
      hint,
      createdAt,
      ...(revokedAt ? { revokedAt } : {}),
    }));
  }

  /** Revokes a key by id; `false` when the storefront has no such key. */
  async revokeApiKey(storefrontId: string, keyId: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.storefrontApiKey(storefrontId, keyId) }),
    );
    if (!Item) return false;
    const revokedAt = this.now().toISOString();
    for (const key of [keys.apiKeyHash(Item.hash as string), keys.storefrontApiKey(storefrontId, keyId)]) {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET revokedAt = :at',
          ExpressionAttributeValues: { ':at': revokedAt },
        }),
      );
    }
    return true;
  }
}
