import {
  MalformedAnswerError,
  parseEnvelope,
  tokenIdOf,
  transactionsOf,
} from '../../../shared/clearent/envelope';
import type { HttpAnswer } from '../../../shared/clearent/transport';
import {
  jsonApprovalWithTokenLink,
  jsonApprovalWithTokenResponse,
  TOKEN_ID,
  xmlApproval,
  xmlSearchList,
} from './fixtures';

const json = (document: unknown, status = 200): HttpAnswer => ({
  status,
  contentType: 'application/json',
  body: typeof document === 'string' ? document : JSON.stringify(document),
});

describe('Function: parseEnvelope', () => {
  it('reads XML even when labelled JSON, by its first character', () => {
    // Act
    const envelope = parseEnvelope(json(xmlApproval));

    // Assess
    expect(envelope['exchange-id']).toBe('ID-clearent-xml-1');
    expect(envelope.payload?.payloadType).toBe('transaction');
    expect(envelope.links?.map((link) => link.rel)).toStrictEqual(['transaction', 'token']);
  });

  it('accepts numbers and booleans where Clearent usually sends strings', () => {
    // Act
    const envelope = parseEnvelope(
      json({ code: 200, payload: { transaction: { id: 7, result: 'APPROVED', amount: 1 } } }),
    );

    // Assess
    expect(transactionsOf(envelope)).toStrictEqual([{ id: '7', result: 'APPROVED', amount: '1' }]);
  });

  it.each([
    ['not JSON', 'Service Unavailable'],
    ['broken JSON', '{"code":'],
    ['broken XML', '<response><code>200</code>'],
    ['XML with another root', '<html><body>502</body></html>'],
    ['a JSON list', '[]'],
    ['a payload of the wrong shape', '{"payload":{"transaction":"approved"}}'],
  ])('refuses %s', (_case, body) => {
    // Act
    const parse = () => parseEnvelope(json(body));

    // Assess
    expect(parse).toThrow(MalformedAnswerError);
  });

  it('does not quote the body in its error', () => {
    // Act
    const error: unknown = (() => {
      try {
        return parseEnvelope(json('{"card":"4111111111111111"'));
      } catch (caught) {
        return caught;
      }
    })();

    // Assess
    expect(String((error as Error).message)).not.toContain('4111');
  });
});

describe('Function: transactionsOf', () => {
  it.each([
    ['one transaction', { transaction: { id: '1' } }, ['1']],
    ['a transaction list', { transaction: [{ id: '1' }, { id: '2' }] }, ['1', '2']],
    ['transactions.transaction as an object', { transactions: { transaction: { id: '3' } } }, ['3']],
    [
      'transactions.transaction as a list',
      { transactions: { transaction: [{ id: '3' }, { id: '4' }] } },
      ['3', '4'],
    ],
    ['transactions as a list', { transactions: [{ id: '5' }] }, ['5']],
    ['no transaction', { payloadType: 'error' }, []],
  ])('reads %s', (_case, payload, ids) => {
    // Act
    const transactions = transactionsOf(parseEnvelope(json({ payload })));

    // Assess
    expect(transactions.map((transaction) => transaction.id)).toStrictEqual(ids);
  });

  it('reads a repeated XML transaction list', () => {
    // Act
    const transactions = transactionsOf(parseEnvelope(json(xmlSearchList)));

    // Assess
    expect(transactions.map((transaction) => transaction.id)).toStrictEqual(['200', '201']);
  });
});

describe('Function: tokenIdOf', () => {
  it.each([
    ['the token link', jsonApprovalWithTokenLink],
    ['tokenResponse', jsonApprovalWithTokenResponse],
    ['the XML token link', xmlApproval],
    [
      'the href of a token link without id',
      JSON.stringify({ links: [{ rel: 'token', href: `/rest/v2/tokens/${TOKEN_ID}` }] }),
    ],
  ])('reads the token id from %s', (_case, body) => {
    // Act
    const tokenId = tokenIdOf(parseEnvelope(json(body)));

    // Assess
    expect(tokenId).toBe(TOKEN_ID);
  });

  it('finds none when no token was made', () => {
    // Act
    const tokenId = tokenIdOf(parseEnvelope(json({ links: [{ rel: 'transaction', id: '1' }] })));

    // Assess
    expect(tokenId).toBeUndefined();
  });
});
