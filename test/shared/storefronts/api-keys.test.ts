/**
 * Storefront API keys are exact secrets. Contract, Authentication: "Keys are random, high-entropy, shown once,
 * stored only as a hash. Missing or wrong key: 401". A key that differs from a real one only in letter case
 * is a wrong key: letter case is part of the key's entropy (keys are base62), so it must neither hash
 * alike nor find the storefront.
 */
import { DynamoStorefrontRepository } from '../../../shared/store/storefronts';
import { generateApiKey, hashApiKey } from '../../../shared/storefronts/api-keys';
import { startTestTable, type TestTable } from '../../support/local-table';

/** A hand-written key with letters of both cases, so that neither its lower- nor its upper-cased form is itself. */
const MIXED_CASE_KEY = 'sk_test_Q7mPz2XkL9aBcD4eFgH8jKnR5sTuVwY3';

/** Every letter's case swapped. */
const swapCase = (text: string) =>
  [...text].map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase())).join('');

/** The keys that differ from `key` only in letter case: lower-cased, upper-cased, swapped, one letter flipped. */
function caseVariants(key: string): string[] {
  const firstLetter = [...key].findIndex((char) => char.toLowerCase() !== char.toUpperCase());
  const flipped = `${key.slice(0, firstLetter)}${swapCase(key[firstLetter] ?? '')}${key.slice(firstLetter + 1)}`;
  const variants = new Set([key.toLowerCase(), key.toUpperCase(), swapCase(key), flipped]);
  variants.delete(key);
  return [...variants];
}

describe('Function: hashApiKey', () => {
  it.each(caseVariants(MIXED_CASE_KEY))(
    'hashes %s, the key in another letter case, differently',
    (variant) => {
      expect(hashApiKey(variant)).not.toBe(hashApiKey(MIXED_CASE_KEY));
    },
  );
});

describe('Class: DynamoStorefrontRepository, API keys and letter case', () => {
  let table: TestTable;
  let storefronts: DynamoStorefrontRepository;

  beforeAll(async () => {
    table = await startTestTable();
    storefronts = new DynamoStorefrontRepository(table.db, table.tableName);
    await storefronts.create('sf_case', 'Case & Co');
    await storefronts.addApiKey('sf_case', MIXED_CASE_KEY);
  });
  afterAll(() => table?.close());

  it('finds the storefront of the exact key', async () => {
    // Act
    const storefrontId = await storefronts.findByApiKey(MIXED_CASE_KEY);

    // Assess
    expect(storefrontId).toBe('sf_case');
  });

  it.each(caseVariants(MIXED_CASE_KEY))(
    'finds no storefront for %s, the key in another letter case',
    async (variant) => {
      // Act
      const storefrontId = await storefronts.findByApiKey(variant);

      // Assess
      expect(storefrontId).toBeUndefined();
    },
  );

  it('finds an issued key exactly, and none of its letter-case variants', async () => {
    // Prepare
    const apiKey = generateApiKey('live');
    await storefronts.create('sf_issued', 'Issued');
    await storefronts.addApiKey('sf_issued', apiKey);
    const variants = caseVariants(apiKey);

    // Act
    const found = await storefronts.findByApiKey(apiKey);
    const foundByVariants = await Promise.all(variants.map((variant) => storefronts.findByApiKey(variant)));

    // Assess
    expect(found).toBe('sf_issued');
    expect(variants.length).toBeGreaterThanOrEqual(2);
    expect(foundByVariants).toEqual(variants.map(() => undefined));
  });
});
