/**
 * Free text the contract refuses (Routes: "control characters and anything that looks like a card number")
 * beyond the plain examples of ./contract-examples.ts: card numbers however a person or a paste spells them,
 * and the invisible formatting characters that make text read otherwise than it is stored.
 */

/** `4111111111111111` (and a 15-digit Amex number) written the ways a person or a paste might write it. */
export const CARD_NUMBER_SPELLINGS: [name: string, text: string][] = [
  ['digits', '4111111111111111'],
  ['spaces', '4111 1111 1111 1111'],
  ['dashes', '4111-1111-1111-1111'],
  ['double spaces', '4111  1111  1111  1111'],
  ['spaced dashes', '4111 - 1111 - 1111 - 1111'],
  ['no-break spaces', '4111\u00a01111\u00a01111\u00a01111'],
  ['ideographic spaces', '4111\u30001111\u30001111\u30001111'],
  ['en dashes', '4111\u20131111\u20131111\u20131111'],
  ['minus signs', '4111\u22121111\u22121111\u22121111'],
  [
    'full-width digits',
    '\uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11',
  ],
  [
    'Arabic-Indic digits',
    '\u0664\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661\u0661',
  ],
  [
    'Devanagari digits',
    '\u096a\u0967\u0967\u0967 \u0967\u0967\u0967\u0967 \u0967\u0967\u0967\u0967 \u0967\u0967\u0967\u0967',
  ],
  ['mathematical bold digits', '\u{1d7d2}\u{1d7cf}\u{1d7cf}\u{1d7cf}1111 1111 1111'],
  ['a zero-width joiner inside', '4111\u200d1111 1111 1111'],
  ['soft hyphens', '4111\u00ad1111\u00ad1111\u00ad1111'],
  ['inside a sentence', 'Customer paid with 4111-1111-1111-1111, exp 12/28'],
  ['an Amex number', '3782 822463 10005'],
];

export const INVISIBLE_FORMATTING: [name: string, text: string][] = [
  ['a right-to-left override', 'Invoice \u202e8201-A'],
  ['a left-to-right embedding', 'Order \u202aA-1001\u202c'],
  ['a first-strong isolate', 'Note \u2068x\u2069'],
  ['a right-to-left isolate', 'Note \u2067x\u2069'],
  ['a right-to-left mark', 'A-1001\u200f'],
  ['an Arabic letter mark', 'Order \u061c1'],
  ['a zero-width space', 'Blue\u200bshirt'],
  ['a byte order mark', '\ufeffBlue shirt'],
  ['a line separator', 'line\u2028break'],
];
