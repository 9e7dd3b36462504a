/**
 * The free-text rules (shared/http/free-text.ts) on their own: card numbers however spelt, control and
 * invisible formatting characters, and ordinary text that must stay accepted.
 */
import { containsCardNumber, containsControlCharacter } from '../../../shared/http/free-text';
import { CARD_NUMBER_SPELLINGS, INVISIBLE_FORMATTING } from '../../functions/support/free-text-examples';

describe('Function: containsCardNumber', () => {
  it.each(CARD_NUMBER_SPELLINGS)('finds a card number written with %s', (_case, text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    ['a number failing Luhn', '4111 1111 1111 1112'],
    ['12 digits', '4111 1111 1111'],
    ['a date and a phone number', 'Call 555-0100 on 2026-11-24'],
    ['an order and an amount', 'Order A-1001 for 25.55 USD'],
    ['short Arabic-Indic digits', '\u0637\u0644\u0628 \u0664\u0665'],
    ['an emoji sequence', 'Family pack \u{1f468}\u200d\u{1f469}\u200d\u{1f467}'],
  ])('finds none in %s', (_case, text) => {
    expect(containsCardNumber(text)).toBe(false);
  });
});

describe('Function: containsControlCharacter', () => {
  it.each([
    ['NUL (C0)', 'a\u0000b'],
    ['a line feed (C0)', 'a\nb'],
    ['DEL', 'a\u007fb'],
    ['NEL (C1)', 'a\u0085b'],
    ['CSI (C1)', 'a\u009bb'],
    ...INVISIBLE_FORMATTING,
  ])('finds %s', (_case, text) => {
    expect(containsControlCharacter(text)).toBe(true);
  });

  it.each([
    ['plain text', 'Blue T-shirt, size M'],
    ['accented letters', 'Caf\u00e9 cr\u00e8me \u00d72'],
    ['right-to-left script', '\u0634\u0643\u0631\u0627 \u05ea\u05d5\u05d3\u05d4'],
    ['an emoji joined by zero-width joiners', 'Family pack \u{1f468}\u200d\u{1f469}\u200d\u{1f467}'],
    ['a zero-width non-joiner, as Persian writes', '\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645'],
  ])('accepts %s', (_case, text) => {
    expect(containsControlCharacter(text)).toBe(false);
  });
});
