import fc from 'fast-check';
import { maskAll, mayHoldSecrets, scrubObject, scrubTranscript } from '../../../shared/clearent/scrub';
import { passesLuhn } from '../../../shared/http/free-text';
import { randomIds } from '../../../shared/ids';
import { scrubbingReplacer } from '../../../shared/observability/logger';
import {
  API_KEY,
  JWT,
  jsonApprovalWithTokenLink,
  jsonApprovalWithTokenResponse,
  jsonJwtIssued,
  TOKEN_ID,
  xmlApproval,
} from './fixtures';

const CARD = '4111111111111111';
const SECRETS = [CARD, API_KEY, JWT, TOKEN_ID, 'eyJ'];

function expectNoSecret(scrubbed: string): void {
  for (const secret of SECRETS) expect(scrubbed).not.toContain(secret);
}

describe('Function: scrubTranscript', () => {
  it('masks the token link and keeps what support needs in a JSON approval', () => {
    // Act
    const scrubbed = scrubTranscript(jsonApprovalWithTokenLink);

    // Assess
    expectNoSecret(scrubbed);
    const envelope = JSON.parse(scrubbed);
    expect(envelope.links[1]).toStrictEqual({ rel: 'token', href: '/rest/v2/tokens/[TOKEN]', id: '[TOKEN]' });
    expect(envelope.links[0].id).toBe('118810621');
    expect(envelope['exchange-id']).toBe('ID-clearent-mobile-jwt-1-e4795490');
    expect(envelope.payload.transaction).toMatchObject({
      amount: '15.55',
      card: 'XXXXXXXXXXXX1111',
      'authorization-code': 'TAS475',
      'exp-date': '1229',
      created: '2025-05-08 18:56:50.930',
    });
  });

  it('masks the token id of a tokenResponse', () => {
    // Act
    const scrubbed = scrubTranscript(jsonApprovalWithTokenResponse);

    // Assess
    expectNoSecret(scrubbed);
    expect(JSON.parse(scrubbed).payload.tokenResponse['token-id']).toBe('[TOKEN]');
  });

  it('masks the JWT of a JWT issuance answer', () => {
    // Act
    const scrubbed = scrubTranscript(jsonJwtIssued);

    // Assess
    expectNoSecret(scrubbed);
    expect(JSON.parse(scrubbed).payload['mobile-jwt']).toStrictEqual({
      jwt: '[REDACTED]',
      'last-four': '1111',
    });
  });

  it('masks the token link of an XML approval, keeping the transaction link', () => {
    // Act
    const scrubbed = scrubTranscript(xmlApproval);

    // Assess
    expectNoSecret(scrubbed);
    expect(scrubbed).toContain(
      '<links><rel>token</rel><href>/rest/v2/tokens/[TOKEN]</href><id>[TOKEN]</id></links>',
    );
    expect(scrubbed).toContain('<id>118810621</id>');
  });

  it('masks the card number and security code of a JWT issuance request, keeping the expiry', () => {
    // Act
    const scrubbed = scrubTranscript(`{"card":"${CARD}","exp-date":"1228","csc":"999"}`);

    // Assess
    expect(JSON.parse(scrubbed)).toStrictEqual({
      card: 'XXXXXXXXXXXX1111',
      'exp-date': '1228',
      csc: '[REDACTED]',
    });
  });

  it('masks a token id sent as the card of a token sale', () => {
    // Act
    const scrubbed = scrubTranscript(
      `{"type":"SALE","amount":"1.00","card":"${TOKEN_ID}","exp-date":"1229"}`,
    );

    // Assess
    expectNoSecret(scrubbed);
    expect(JSON.parse(scrubbed).card).toBe('XXXXXXXXXXXXXXX1111');
  });

  it('masks card, security code and keys in an XML request', () => {
    // Act
    const scrubbed = scrubTranscript(
      `<transaction><card>${CARD}</card><csc>999</csc><api-key>${API_KEY}</api-key><amount>1.00</amount></transaction>`,
    );

    // Assess
    expect(scrubbed).toBe(
      '<transaction><card>XXXXXXXXXXXX1111</card><csc>[REDACTED]</csc><api-key>[REDACTED]</api-key><amount>1.00</amount></transaction>',
    );
  });

  it('masks keys and JWTs in HTTP headers, and token ids in the request line', () => {
    // Prepare
    const transcript = [
      `GET /rest/v2/tokens/${TOKEN_ID} HTTP/1.1`,
      'Host: gateway-sb.clearent.net',
      `api-key: ${API_KEY}`,
      `MobileJWT: ${JWT}`,
      'X-Api-Key: another_fake_key',
      'Authorization: Bearer some_fake_bearer',
      'Accept: application/json',
    ].join('\r\n');

    // Act
    const scrubbed = scrubTranscript(transcript);

    // Assess
    expect(scrubbed).toBe(
      [
        'GET /rest/v2/tokens/[TOKEN] HTTP/1.1',
        'Host: gateway-sb.clearent.net',
        'api-key: [REDACTED]',
        'MobileJWT: [REDACTED]',
        'X-Api-Key: [REDACTED]',
        'Authorization: [REDACTED]',
        'Accept: application/json',
      ].join('\r\n'),
    );
  });

  it('masks keys in query strings and in logged JS objects', () => {
    // Act
    const query = scrubTranscript(`/rest/v2/transactions?id=1&api-key=${API_KEY}&csc=999`);
    const inspected = scrubTranscript(`{ 'api-key': '${API_KEY}', apiKey: "${API_KEY}", csc: 999 }`);

    // Assess
    expect(query).toBe('/rest/v2/transactions?id=1&api-key=[REDACTED]&csc=[REDACTED]');
    expect(inspected).toBe(`{ 'api-key': '[REDACTED]', apiKey: "[REDACTED]", csc: [REDACTED] }`);
  });

  it.each([
    ['spaced', '4111 1111 1111 1111', 'XXXXXXXXXXXX1111'],
    ['dashed', '5555-5555-5555-4444', 'XXXXXXXXXXXX4444'],
    ['13 digits', '4222222222222', 'XXXXXXXXX2222'],
    ['19 digits', '6011000990139424123', 'XXXXXXXXXXXXXXX4123'],
  ])('masks a %s card number in free text, keeping the last four', (_case, card, masked) => {
    // Act
    const scrubbed = scrubTranscript(`declined card ${card} today`);

    // Assess
    expect(scrubbed).toBe(`declined card ${masked} today`);
  });

  it.each([
    ['a UUID request id with all-digit groups', 'request 49ab958d-1234-4567-8901-4423c8ee30b2 failed'],
    ['a UUID of digits only', 'function_request_id=12345678-1234-1234-1234-123456789012'],
    [
      'a prefixed UUID',
      'req-12345678-1234-1234-1234-123456789012 and id_12345678-1234-1234-1234-123456789012',
    ],
    ['an upper-case UUID', 'x-amzn-requestid: 49AB958D-1234-4567-8901-4423C8EE30B2'],
    ['an X-Ray trace id', 'Root=1-67891233-123456789012345678901234;Sampled=1'],
    ['our ids', 'txn_0000041111111111111112Ab and card_12345678901234567890ab'],
    ['a hex id whose digits fail the Luhn check', 'stream 4423c8ee30b21234567890123456ab'],
    ['a date and time', '<created>2025-05-08 18:56:50.930</created>'],
  ])('leaves %s alone', (_case, text) => {
    // Assess
    expect(scrubTranscript(text)).toBe(text);
  });

  it.each([
    [
      'glued to letters (a card number passes the Luhn check)',
      'pan4111111111111111x',
      'panXXXXXXXXXXXX1111x',
    ],
    ['after a word and a dash', 'ref-4111-1111-1111-1111', 'ref-XXXXXXXXXXXX1111'],
    ['followed by its expiry and code', 'card 4111 1111 1111 1111 1228 999', 'card XXXXXXXXXXXXXXXXXXX8999'],
    [
      'beside a UUID',
      '49ab958d-1234-4567-8901-4423c8ee30b2 4111111111111111',
      '49ab958d-1234-4567-8901-4423c8ee30b2 XXXXXXXXXXXX1111',
    ],
    ['as a token id in free text', 'token 1100000900023211111 deleted', 'token XXXXXXXXXXXXXXX1111 deleted'],
  ])('masks a card number %s', (_case, text, masked) => {
    // Assess
    expect(scrubTranscript(text)).toBe(masked);
  });

  it('masks a JWT outside any named field', () => {
    // Act
    const scrubbed = scrubTranscript(`sale failed for ${JWT}.`);

    // Assess
    expect(scrubbed).toBe('sale failed for [REDACTED].');
  });

  it.each([
    '{"id":"118810621","amount":"99999.99","result-code":"000","exchange-id":"ID-clearent-mobile-jwt-1-e4795490"}',
    '/rest/v2/transactions?id=118810621',
    '<created>2025-05-08 18:56:50.930</created>',
  ])('leaves %s untouched', (transcript) => {
    // Assess
    expect(scrubTranscript(transcript)).toBe(transcript);
  });
});

describe('Function: scrubObject', () => {
  it('masks by field name and scrubs every string, without touching the input', () => {
    // Prepare
    const logged = {
      headers: { 'API-KEY': API_KEY, mobilejwt: JWT, accept: 'application/json' },
      body: { card: CARD, csc: 999, amount: '15.55', 'token-id': TOKEN_ID },
      links: [{ rel: 'token', href: `/rest/v2/tokens/${TOKEN_ID}`, id: TOKEN_ID }],
      note: `card ${CARD}`,
      attempts: 2,
    };
    const before = JSON.stringify(logged);

    // Act
    const scrubbed = scrubObject(logged);

    // Assess
    expect(scrubbed).toStrictEqual({
      headers: { 'API-KEY': '[REDACTED]', mobilejwt: '[REDACTED]', accept: 'application/json' },
      body: { card: 'XXXXXXXXXXXX1111', csc: '[REDACTED]', amount: '15.55', 'token-id': '[TOKEN]' },
      links: [{ rel: 'token', href: '/rest/v2/tokens/[TOKEN]', id: '[TOKEN]' }],
      note: 'card XXXXXXXXXXXX1111',
      attempts: 2,
    });
    expect(JSON.stringify(logged)).toBe(before);
  });
});

describe('Function: scrubbingReplacer', () => {
  it("keeps a log line's request ids and masks its card number", () => {
    // Prepare
    const line = {
      message: 'sale declined for 4111 1111 1111 1111',
      function_request_id: '49ab958d-1234-4567-8901-4423c8ee30b2',
      xray_trace_id: '1-67891233-123456789012345678901234',
      transactionId: 'txn_6Wq1P0b3tJx8VJbD2cT9Lr',
    };

    // Act
    const logged = JSON.parse(JSON.stringify(line, scrubbingReplacer));

    // Assess
    expect(logged).toEqual({ ...line, message: 'sale declined for XXXXXXXXXXXX1111' });
  });
});

describe('Property: identifiers keep their digits', () => {
  it('leaves any UUID, and any of our ids, as they are', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.constantFrom('txn', 'card', 'sub', 'evt', 'we') as fc.Arbitrary<'txn'>,
        (uuid, prefix) => {
          // Prepare
          const text = `{"function_request_id":"${uuid}","id":"${randomIds.next(prefix)}"} ${uuid.toUpperCase()}`;

          // Assess
          expect(scrubTranscript(text)).toBe(text);
        },
      ),
    );
  });
});

describe('Property: no card number survives', () => {
  it('masks a Luhn-valid card number even inside a word', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{13,19}$/).filter(passesLuhn),
        fc.stringMatching(/^[A-Za-z_]{1,8}$/),
        (card, word) => {
          // Act
          const scrubbed = scrubTranscript(`${word}${card}${word}`);

          // Assess
          expect(scrubbed).not.toContain(card);
          expect(scrubbed).toBe(`${word}${'X'.repeat(card.length - 4)}${card.slice(-4)}${word}`);
        },
      ),
    );
  });

  it('masks any 13 to 19 digit number in JSON, XML, headers and queries', () => {
    const templates = [
      (card: string) => `{"card":"${card}"}`,
      (card: string) => `{"note":"card ${card} declined"}`,
      (card: string) => `<card>${card}</card>`,
      (card: string) => `card-number: ${card}\r\n`,
      (card: string) => `/rest/v2/transactions?card=${card}&id=1`,
    ];
    fc.assert(
      fc.property(fc.stringMatching(/^\d{13,19}$/), fc.constantFrom(...templates), (card, template) => {
        // Act
        const scrubbed = scrubTranscript(template(card));

        // Assess
        expect(scrubbed).not.toContain(card);
        expect(scrubbed).toContain(card.slice(-4));
      }),
    );
  });
});

describe('Property: the quick check clears only what no mask would change', () => {
  /** A field name of the masks, in any ASCII case, its parts joined by `-`, `_` or nothing. */
  const fieldName = fc
    .tuple(
      fc.constantFrom(
        ['api', 'key'],
        ['public', 'key'],
        ['private', 'key'],
        ['secret', 'key'],
        ['mobile', 'jwt'],
        ['jwt'],
        ['authorization'],
        ['password'],
        ['csc'],
        ['cvv'],
        ['cvv2'],
        ['cvc'],
        ['security', 'code'],
        ['token', 'id'],
      ),
      fc.constantFrom('-', '_', ''),
      fc.boolean(),
      fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
    )
    .map(([parts, joint, prefixed, upper]) =>
      [...`${prefixed ? 'x-' : ''}${parts.join(joint)}`]
        .map((letter, index) => (upper[index % 20] ? letter.toUpperCase() : letter))
        .join(''),
    );
  const fragment = fc.oneof(
    fieldName,
    fc.constantFrom('"', "'", ':', '=', ' ', '<', '>', '</', '/', '{', '}', '&', ',', '\r\n', 'Bearer '),
    fc.constantFrom('card', 'CARD', 'tokens/', 'rel', 'token', 'links', 'eyJ', 'eyJhbGciOi.abc.def', 'id'),
    fc.stringMatching(/^\d{1,20}$/),
    fc.stringMatching(/^(\d[ -]?){10,16}\d$/),
    fc.constantFrom('\u017f', '\u212a', '\u0130', 'é', 'txn_', 'sf_a', 'approved', '1.00'),
    fc.string({ maxLength: 6 }),
  );

  it('never clears a text that a mask changes', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }), (fragments) => {
        const text = fragments.join('');
        if (maskAll(text) !== text) expect(mayHoldSecrets(text)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('never clears a named field that a mask changes, in JSON, JS, XML, headers and queries', () => {
    const name = fc.oneof(fieldName, fc.constantFrom('card', 'Card', 'CARD', 'rel', 'id'));
    const value = fc.oneof(
      fc.stringMatching(/^\d{1,20}$/),
      fc.constantFrom('eyJhbGciOi.abc.def', 'Bearer abc', 'token', 'secret_not_real', '4111 1111 1111 1111'),
    );
    const shapes = [
      (n: string, v: string) => `{"${n}":"${v}"}`,
      (n: string, v: string) => `{${n}: '${v}'}`,
      (n: string, v: string) => `{"${n}":${v}}`,
      (n: string, v: string) => `<${n}>${v}</${n}>`,
      (n: string, v: string) => `${n}: ${v}\r\n`,
      (n: string, v: string) => `/path?${n}=${v}&x=1`,
    ];
    fc.assert(
      fc.property(name, value, fc.constantFrom(...shapes), (n, v, shape) => {
        const text = shape(n, v);
        if (maskAll(text) !== text) expect(mayHoldSecrets(text)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('clears the strings a log line mostly holds, which scrubbing then leaves as they are', () => {
    for (const text of [
      'gateway call',
      'mobile-sale',
      'approved',
      '000',
      '1f2a-33',
      'txn_2KuRnklgo4rzZFavLgqbdn',
    ]) {
      expect(mayHoldSecrets(text)).toBe(false);
      expect(scrubTranscript(text)).toBe(text);
    }
  });
});
