import { parseXmlEnvelope } from '../../../shared/clearent/xml';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

describe('Function: parseXmlEnvelope', () => {
  it('turns the payload type attribute into payloadType and keeps values as strings', () => {
    // Act
    const envelope = parseXmlEnvelope(
      `${DECLARATION}<response><code>200</code><payload type="transaction"><transaction><amount>0010.50</amount><result-code>000</result-code></transaction></payload></response>`,
    );

    // Assess
    expect(envelope).toStrictEqual({
      code: '200',
      payload: { payloadType: 'transaction', transaction: { amount: '0010.50', 'result-code': '000' } },
    });
  });

  it('makes a single links element a list, and drops empty elements', () => {
    // Act
    const envelope = parseXmlEnvelope(
      '<response><links><rel>self</rel><id>1</id></links><exchange-id/><payload type="error"><error><error-message>x</error-message></error></payload></response>',
    );

    // Assess
    expect(envelope).toStrictEqual({
      links: [{ rel: 'self', id: '1' }],
      payload: { payloadType: 'error', error: { 'error-message': 'x' } },
    });
  });

  it('accepts links written as <links><link>…</link></links>', () => {
    // Act
    const envelope = parseXmlEnvelope(
      '<response><links><link><rel>transaction</rel><id>1</id></link><link><rel>token</rel><id>2</id></link></links></response>',
    );

    // Assess
    expect(envelope.links).toStrictEqual([
      { rel: 'transaction', id: '1' },
      { rel: 'token', id: '2' },
    ]);
  });

  it('reads the text of an element that also has attributes', () => {
    // Act
    const envelope = parseXmlEnvelope('<response><amount currency="USD">1.00</amount></response>');

    // Assess
    expect(envelope).toStrictEqual({ amount: '1.00' });
  });

  it.each([
    ['an unclosed document', '<response><code>200</code>'],
    ['another root element', '<html><body>Bad gateway</body></html>'],
    ['an empty response', '<response/>'],
  ])('refuses %s', (_case, text) => {
    // Act
    const parse = () => parseXmlEnvelope(text);

    // Assess
    expect(parse).toThrow();
  });
});
