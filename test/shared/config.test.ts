import { ConfigError, dunningRetryDays } from '../../shared/config';

describe('Function: dunningRetryDays', () => {
  const original = process.env.DUNNING_RETRY_DAYS;
  afterEach(() => {
    if (original === undefined) delete process.env.DUNNING_RETRY_DAYS;
    else process.env.DUNNING_RETRY_DAYS = original;
  });

  it('defaults to retries on day 1, 3 and 5', () => {
    delete process.env.DUNNING_RETRY_DAYS;

    expect(dunningRetryDays()).toEqual([1, 3, 5]);
  });

  it('reads a configured schedule', () => {
    process.env.DUNNING_RETRY_DAYS = '2, 7,14';

    expect(dunningRetryDays()).toEqual([2, 7, 14]);
  });

  it.each(['3,1', '1,1', '0,2', '1,x', '1.5', '-1'])('refuses %p, naming the variable', (value) => {
    process.env.DUNNING_RETRY_DAYS = value;

    expect(() => dunningRetryDays()).toThrow(ConfigError);
    expect(() => dunningRetryDays()).toThrow('DUNNING_RETRY_DAYS');
  });
});
