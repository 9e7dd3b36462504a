/**
 * The authorizer refuses what cannot be a storefront key without reading anything: a flood of requests
 * without a well-formed key costs no DynamoDB request. A well-formed key costs exactly one GetItem, of
 * its hash's item.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { generateApiKey, hashApiKey } from '../../../shared/storefronts/api-keys';

const documents = mockClient(DynamoDBDocumentClient);

type Handler = typeof import('../../../functions/authorizer/handler')['handler'];
let handler: Handler;

beforeAll(() => {
  process.env.TABLE_NAME = 'payments-test';
  ({ handler } = require('../../../functions/authorizer/handler') as { handler: Handler });
});
beforeEach(() => {
  documents.reset();
  documents.on(GetCommand).resolves({});
});
afterAll(() => documents.restore());

function eventWith(authorization: string | undefined): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:api/$default/POST/v1/sales/jwt',
    identitySource: [],
    routeKey: 'POST /v1/sales/jwt',
    rawPath: '/v1/sales/jwt',
    rawQueryString: '',
    cookies: [],
    headers: authorization === undefined ? {} : { authorization },
    queryStringParameters: {},
    requestContext: { requestId: 'req-1' } as APIGatewayRequestAuthorizerEventV2['requestContext'],
    pathParameters: {},
    stageVariables: {},
  };
}

const live = generateApiKey('live');

describe('Function: authorizer handler, refusals without a lookup', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['a Basic credential', 'Basic dXNlcjpwYXNz'],
    ['a key without the Bearer scheme', live],
    ['a bearer token that is no key', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ['a key of another prefix', 'Bearer pk_test_abcdefghijkl'],
    ['a test key too short', 'Bearer sk_test_abc'],
    ['a test key too long', `Bearer sk_test_${'a'.repeat(65)}`],
    ['a live key one character short', `Bearer ${live.slice(0, -1)}`],
    ['a live key one character long', `Bearer ${live}x`],
    ['a live key with a character outside base62', `Bearer ${live.slice(0, -1)}_`],
    ['a key with a control character', 'Bearer sk_test_abcd\u0000efgh'],
    ['a header of 100 KB', `Bearer sk_test_${'a'.repeat(100_000)}`],
  ])('refuses %s as missing_api_key without reading the table', async (_case, authorization) => {
    // Act
    const result = await handler(eventWith(authorization));

    // Assess
    expect(result).toEqual({ isAuthorized: true, context: { authError: 'missing_api_key' } });
    expect(documents.calls()).toHaveLength(0);
  });

  it.each([
    ['a live key', live],
    ['a test key', 'sk_test_demo'],
  ])('reads exactly the hash item of %s once', async (_case, key) => {
    // Act
    const result = await handler(eventWith(`Bearer ${key}`));

    // Assess
    expect(result).toEqual({ isAuthorized: true, context: { authError: 'invalid_api_key' } });
    expect(documents.calls()).toHaveLength(1);
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'payments-test',
      Key: { pk: `APIKEY#${hashApiKey(key)}`, sk: 'APIKEY' },
    });
  });
});
