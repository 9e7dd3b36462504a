import fc from 'fast-check';
import { readCharge, readToken, readTokenDeletion, readTransactions } from '../../../shared/clearent/answers';
import { MalformedAnswerError } from '../../../shared/clearent/envelope';
import {
  GatewayAuthenticationError,
  GatewayInvalidRequestError,
  GatewayUnavailableError,
} from '../../../shared/clearent/errors';
import type { HttpAnswer } from '../../../shared/clearent/transport';
import { jsonDecline, jsonInvalidRequest, jsonLookupList, TOKEN_ID } from './fixtures';

const answer = (status: number, body = ''): HttpAnswer => ({ status, contentType: 'application/json', body });

function outcomeOf(read: () => unknown): string {
  try {
    read();
    return 'resolved';
  } catch (caught) {
    return (caught as Error).name;
  }
}

describe('Function: readCharge', () => {
  it.each([
    [401, '', 'GatewayAuthenticationError'],
    [403, '', 'GatewayAuthenticationError'],
    [429, '', 'GatewayUnavailableError'],
    // A 5xx on a charge may follow the charge (Clearent's documents): unknown, even with a decline inside.
    [500, jsonDecline, 'GatewayOutcomeUnknownError'],
    [503, '', 'GatewayOutcomeUnknownError'],
    [502, '', 'GatewayOutcomeUnknownError'],
    [504, '', 'GatewayOutcomeUnknownError'],
    [400, '<html>Bad Request</html>', 'GatewayInvalidRequestError'],
    [404, 'Not Found', 'GatewayInvalidRequestError'],
    [404, jsonInvalidRequest, 'GatewayInvalidRequestError'],
    [302, '', 'MalformedAnswerError'],
    [409, '{"code":"409"}', 'MalformedAnswerError'],
    [201, '{}', 'MalformedAnswerError'],
    [402, jsonDecline, 'resolved'],
  ])('HTTP %d with %j → %s', (status, body, expected) => {
    // Act
    const result = outcomeOf(() => readCharge(answer(status, body), 'SALE'));

    // Assess
    expect(result).toBe(expected);
  });

  it('gives the invalid request its scrubbed reason and result-code', () => {
    // Prepare
    const body = JSON.stringify({
      payload: { error: { 'error-message': 'invalid card 4111111111111111', 'result-code': '009' } },
    });

    // Act
    const error: unknown = (() => {
      try {
        return readCharge(answer(400, body), 'SALE');
      } catch (caught) {
        return caught;
      }
    })();

    // Assess
    expect(error).toBeInstanceOf(GatewayInvalidRequestError);
    expect(error).toMatchObject({ resultCode: '009', httpStatus: 400 });
    expect((error as Error).message).toContain('XXXXXXXXXXXX1111');
    expect((error as Error).message).not.toContain('4111111111111111');
  });

  it('never reads a decline from an answer that carries neither a result nor a 402', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(200, 201, 400, 404),
        fc.json().filter((body) => !body.includes('"result"')),
        (status, body) => {
          // Act
          let outcome: string | undefined;
          try {
            outcome = readCharge(answer(status, body), 'SALE').value.outcome;
          } catch (caught) {
            expect(
              caught instanceof MalformedAnswerError || caught instanceof GatewayInvalidRequestError,
            ).toBe(true);
          }

          // Assess
          expect(outcome).not.toBe('declined');
        },
      ),
    );
  });
});

describe('Function: readTransactions', () => {
  it.each([
    [404, '', 'resolved'],
    [200, '{"code":"200","status":"success","payload":{"payloadType":"transactions"}}', 'resolved'],
    [200, '{"payload":{"error":{"error-message":"search failed"}}}', 'MalformedAnswerError'],
    [402, '{"payload":{"error":{"result-code":"027"}}}', 'GatewayInvalidRequestError'],
    [401, '', 'GatewayAuthenticationError'],
    [503, '', 'GatewayUnavailableError'],
    [200, 'garbage', 'MalformedAnswerError'],
  ])('HTTP %d with %j → %s', (status, body, expected) => {
    // Act
    const result = outcomeOf(() => readTransactions(answer(status, body)));

    // Assess
    expect(result).toBe(expected);
  });

  it('reads "nothing found" only from a 404, a 204 No Content or a clean empty success', () => {
    // Act
    const notFound = readTransactions(answer(404)).value;
    const noContent = readTransactions(answer(204)).value;
    const empty = readTransactions(answer(200, '{"code":"200","status":"success"}')).value;
    const found = readTransactions(answer(200, jsonLookupList)).value;

    // Assess
    expect(notFound).toStrictEqual([]);
    expect(noContent).toStrictEqual([]);
    expect(empty).toStrictEqual([]);
    expect(found.map((transaction) => transaction.amount)).toStrictEqual([1555]);
  });

  it('never assumes a search result without a type is a sale', () => {
    // Prepare
    const untyped =
      '{"payload":{"transactions":{"transaction":[{"id":"7","result":"APPROVED","amount":"1.00"}]}}}';

    // Act
    const [found] = readTransactions(answer(200, untyped)).value;

    // Assess
    expect(found?.outcome).toBe('approved');
    expect(found?.type).toBeUndefined();
  });

  it('reads a declined transaction even from a 402', () => {
    // Act
    const found = readTransactions(answer(402, jsonDecline)).value;

    // Assess
    expect(found.map((transaction) => transaction.outcome)).toStrictEqual(['declined']);
  });
});

describe('Functions: readToken and readTokenDeletion', () => {
  it('falls back to the requested id when the token response omits it', () => {
    // Act
    const token = readToken(
      answer(200, '{"payload":{"tokenResponse":{"card-type":"VISA"}}}'),
      TOKEN_ID,
    ).value;

    // Assess
    expect(token).toStrictEqual({ tokenId: TOKEN_ID, card: { brand: 'VISA' } });
  });

  it.each([
    [() => readToken(answer(200, '{"code":"200"}'), TOKEN_ID), MalformedAnswerError],
    [() => readToken(answer(400, jsonInvalidRequest), TOKEN_ID), GatewayInvalidRequestError],
    [() => readTokenDeletion(answer(401)), GatewayAuthenticationError],
    [() => readTokenDeletion(answer(500)), GatewayUnavailableError],
    [() => readTokenDeletion(answer(504)), GatewayUnavailableError],
    [() => readTokenDeletion(answer(302)), MalformedAnswerError],
  ])('rejects case %# with the right error', (read, expected) => {
    // Assess
    expect(read).toThrow(expected);
  });
});
