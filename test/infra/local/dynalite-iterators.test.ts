import { createRequire } from 'node:module';
import { closeDynaliteIterators } from '../../../infra/local/dynamodb';

describe('Function: closeDynaliteIterators', () => {
  it('gives the iterators dynalite reads with the return() it calls to close them', async () => {
    closeDynaliteIterators();
    const fromDynalite = createRequire(require.resolve('dynalite'));
    const { MemoryLevel } = fromDynalite('memory-level') as {
      MemoryLevel: new () => {
        put(key: string, value: string): Promise<void>;
        values(): { next(): Promise<string | undefined>; return(): Promise<void> };
      };
    };
    const db = new MemoryLevel();
    await db.put('a', '1');
    const iterator = db.values();
    expect(await iterator.next()).toBe('1');

    await iterator.return();

    // A closed iterator refuses to go on: its snapshot is released.
    await expect(iterator.next()).rejects.toMatchObject({ code: 'LEVEL_ITERATOR_NOT_OPEN' });
  });
});
