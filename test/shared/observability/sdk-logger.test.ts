import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localCredentials, localRegion } from '../../../infra/local/local-aws';
import { logger } from '../../../shared/observability/logger';
import { sdkLogger } from '../../../shared/observability/sdk-logger';
import { documentClient } from '../../../shared/store/dynamo';
import { startTestTable, type TestTable } from '../../support/local-table';

describe('sdkLogger', () => {
  afterEach(() => jest.restoreAllMocks());

  it('sends the SDK warnings and errors to our log once it is loaded, and drops debug and info (request inputs and outputs)', () => {
    // Prepare
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => {});
    const error = jest.spyOn(logger, 'error').mockImplementation(() => {});
    const info = jest.spyOn(logger, 'info').mockImplementation(() => {});
    const debug = jest.spyOn(logger, 'debug').mockImplementation(() => {});

    // Act
    sdkLogger.warn('socket usage at capacity=50 and 3 additional requests are enqueued.');
    sdkLogger.error('failed', 2);
    sdkLogger.error(null);
    sdkLogger.info({ commandName: 'GetItemCommand', output: { Item: { apiKey: 'x' } } });
    sdkLogger.debug('endpoint resolved');
    // The logger middleware's record of a failed command: its error is thrown to our code.
    sdkLogger.error({
      clientName: 'DynamoDBClient',
      commandName: 'PutItemCommand',
      input: { Item: { pk: 'IDEM#sf_1#key' } },
      error: new Error('The conditional request failed'),
    });

    // Assess
    expect(warn).toHaveBeenCalledWith(
      'AWS SDK: socket usage at capacity=50 and 3 additional requests are enqueued.',
    );
    expect(error.mock.calls).toEqual([['AWS SDK: failed 2'], ['AWS SDK: null']]);
    expect(info).not.toHaveBeenCalled();
    expect(debug).not.toHaveBeenCalled();
  });

  it('writes no error for a failed command, such as a conditional write refused, which its caller handles', async () => {
    // Prepare: a client whose logger records what the SDK writes before passing it on.
    const table: TestTable = await startTestTable();
    const written: unknown[][] = [];
    const client = new DynamoDBClient({
      endpoint: table.endpoint,
      region: localRegion,
      credentials: localCredentials,
      logger: {
        ...sdkLogger,
        error: (...content: unknown[]) => {
          written.push(content);
          sdkLogger.error(...content);
        },
      },
    });
    const error = jest.spyOn(logger, 'error').mockImplementation(() => {});
    const put = () =>
      DynamoDBDocumentClient.from(client).send(
        new PutCommand({
          TableName: table.tableName,
          Item: { pk: 'IDEM#sf_1#key-1', sk: 'IDEM' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );

    try {
      // Act
      await put();
      const refused = put();

      // Assess: the SDK wrote its record of the failure, the caller got the error, our log no line.
      await expect(refused).rejects.toBeInstanceOf(ConditionalCheckFailedException);
      expect(written).toEqual([[expect.objectContaining({ commandName: 'PutItemCommand' })]]);
      expect(error).not.toHaveBeenCalled();
    } finally {
      client.destroy();
      await table.close();
    }
  });

  it('is the logger of the DynamoDB client the functions share', () => {
    expect(documentClient().config.logger).toBe(sdkLogger);
  });
});
