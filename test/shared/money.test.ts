import {
  addCents,
  cents,
  formatAmount,
  InvalidAmountError,
  parseAmount,
  subtractCents,
} from '../../shared/money';

describe('Module: money', () => {
  describe('Function: parseAmount', () => {
    it.each([
      ['25.55', 2555],
      ['99', 9900],
      ['0.50', 50],
      ['0.5', 50],
      ['0.01', 1],
      ['99999.99', 9_999_999],
      ['0', 0],
    ])('parses %s as %d cents', (text, expected) => {
      expect(parseAmount(text)).toBe(expected);
    });

    it.each(['', '-1', '+1', '1.234', '1e3', ' 1', '1 ', '01', '1.', '.5', 'NaN', '0x10', '1,00'])(
      'rejects %j',
      (text) => {
        expect(() => parseAmount(text)).toThrow(InvalidAmountError);
      },
    );

    it('adds cents that floats would get wrong (0.1 + 0.2)', () => {
      expect(formatAmount(addCents(parseAmount('0.10'), parseAmount('0.20')))).toBe('0.30');
    });
  });

  describe('Function: formatAmount', () => {
    it.each([
      [9900, '99.00'],
      [2555, '25.55'],
      [5, '0.05'],
      [0, '0.00'],
      [9_999_999, '99999.99'],
    ])('formats %d cents as %s', (value, expected) => {
      expect(formatAmount(cents(value))).toBe(expected);
    });
  });

  describe('Function: cents', () => {
    it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses %d', (value) => {
      expect(() => cents(value)).toThrow(InvalidAmountError);
    });

    it('refuses a subtraction below zero', () => {
      expect(() => subtractCents(cents(100), cents(101))).toThrow(InvalidAmountError);
    });
  });
});
