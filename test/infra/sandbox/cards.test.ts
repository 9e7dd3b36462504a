import { cardTypeOf, isExpired, isValidCardNumber, maskCard } from '../../../infra/sandbox/cards';

describe('Function: isValidCardNumber', () => {
  it.each([
    ['4111111111111111', true],
    ['5454545454545454', true],
    ['378282246310005', true],
    ['4111111111111112', false],
    ['41111111111', false],
    ['4111-1111-1111-1111', false],
  ])('%s → %s', (cardNumber, valid) => {
    expect(isValidCardNumber(cardNumber)).toBe(valid);
  });
});

describe('Function: isExpired', () => {
  it.each([
    ['1226', '2026-12-31T23:59:59.999Z', false],
    ['1226', '2027-01-01T00:00:00.000Z', true],
    ['0127', '2026-12-15T00:00:00.000Z', false],
    ['1326', '2020-01-01T00:00:00.000Z', true],
  ])('card %s at %s → %s', (expDate, now, expired) => {
    expect(isExpired(expDate, new Date(now))).toBe(expired);
  });
});

describe('Function: maskCard', () => {
  it('keeps only the brand, last four and expiry', () => {
    // Act
    const masked = maskCard('6011000990139424', '0930');

    // Assess
    expect(masked).toEqual({ lastFour: '9424', cardType: 'DISCOVER', expDate: '0930' });
    expect(cardTypeOf('2223003122003222')).toBe('MASTERCARD');
  });
});
