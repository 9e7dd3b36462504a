import * as budget from '../../shared/time-budget';

describe('Module: time-budget', () => {
  it('derives 4 gateway calls, a 23.1 s request, 24 s API functions and a 29 s lock', () => {
    expect(budget.maxGatewayCallsPerRequest).toBe(4);
    expect(budget.totalLookupBackoffMs(budget.lookupAttempts)).toBe(100);
    expect(budget.gatewayRequestBudgetMs).toBe(23_100);
    expect(budget.apiFunctionTimeoutSeconds).toBe(24);
    expect(budget.idempotencyLockMs).toBe(29_000);
  });

  it('pauses 100 ms, then 200 ms more, between lookup attempts', () => {
    expect([1, 2, 3].map(budget.totalLookupBackoffMs)).toEqual([0, 100, 300]);
  });

  it('holds together as written', () => {
    expect(budget.timeBudgetViolations(budget.timeBudget)).toEqual([]);
  });

  it.each([
    ['a 10 s gateway call (4 of them do not fit)', { gatewayCallTimeoutMs: 10_000 }, 'do not fit in a 24 s'],
    ['a 27 s API function', { apiFunctionTimeoutSeconds: 27 }, "under API Gateway's 29 s"],
    ['a lock no longer than the API function', { idempotencyLockMs: 24_000 }, 'does not outlive'],
    ['a settle window shorter than a call', { gatewaySettleSeconds: 5 }, 'settle window (5 s)'],
  ])('names the relation broken by %s', (_case, change, message) => {
    // Act
    const violations = budget.timeBudgetViolations({ ...budget.timeBudget, ...change });

    // Assess
    expect(violations).toEqual([expect.stringContaining(message)]);
  });
});
