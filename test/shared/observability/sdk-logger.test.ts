import { logger } from '../../../shared/observability/logger';
import { sdkLogger } from '../../../shared/observability/sdk-logger';
import { documentClient } from '../../../shared/store/dynamo';

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
    sdkLogger.info({ commandName: 'GetItemCommand', output: { Item: { apiKey: 'x' } } });
    sdkLogger.debug('endpoint resolved');

    // Assess
    expect(warn).toHaveBeenCalledWith(
      'AWS SDK: socket usage at capacity=50 and 3 additional requests are enqueued.',
    );
    expect(error).toHaveBeenCalledWith('AWS SDK: failed 2');
    expect(info).not.toHaveBeenCalled();
    expect(debug).not.toHaveBeenCalled();
  });

  it('is the logger of the DynamoDB client the functions share', () => {
    expect(documentClient().config.logger).toBe(sdkLogger);
  });
});
