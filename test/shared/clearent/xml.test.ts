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

  describe('entities', () => {
    const laughs = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE response [',
      '  <!ENTITY lol "lol">',
      ...Array.from(
        { length: 9 },
        (_, level) => `  <!ENTITY lol${level + 1} "${`&lol${level === 0 ? '' : level};`.repeat(10)}">`,
      ),
      ']>',
      '<response><code>200</code><payload type="error"><error><error-message>&lol9;</error-message></error></payload></response>',
    ].join('\n');

    it('refuses a document declaring entities (a billion laughs) without expanding them', () => {
      // Act
      const started = Date.now();
      const parse = () => parseXmlEnvelope(laughs);

      // Assess
      expect(parse).toThrow('document type');
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it.each([
      ['upper case', '<!DOCTYPE response SYSTEM "file:///etc/passwd">'],
      ['lower case', '<!doctype response SYSTEM "http://169.254.169.254/latest/meta-data/">'],
    ])('refuses an external document type in %s', (_case, doctype) => {
      // Act
      const parse = () => parseXmlEnvelope(`${doctype}<response><code>200</code></response>`);

      // Assess
      expect(parse).toThrow('document type');
    });

    it('leaves a reference to an entity it does not know as it is', () => {
      // Act
      const envelope = parseXmlEnvelope(
        '<response><payload type="error"><error><error-message>a &lol9; b</error-message></error></payload></response>',
      );

      // Assess
      expect(envelope.payload).toStrictEqual({
        payloadType: 'error',
        error: { 'error-message': 'a &lol9; b' },
      });
    });

    it("decodes XML's own entities and character references once", () => {
      // Act
      const envelope = parseXmlEnvelope(
        '<response><payload type="error"><error><error-message>A &amp; B &lt;x&gt; &quot;&apos; &#233;&#x20AC; &amp;lt;</error-message></error></payload></response>',
      );

      // Assess
      expect(envelope.payload).toStrictEqual({
        payloadType: 'error',
        error: { 'error-message': 'A & B <x> "\' é€ &lt;' },
      });
    });
  });
});
