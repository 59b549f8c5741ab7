import { RecordCache } from './RecordCache';

describe('RecordCache', () => {
  const known: Record<string, string> = { rec1: 'org1', rec2: 'org2' };

  function cache(ttlMs = 1000, maxEntries = 10) {
    let now = 0;
    const lookups: string[] = [];
    const records = new RecordCache(
      async id => {
        lookups.push(id);
        return known[id];
      },
      ttlMs,
      maxEntries,
      () => now,
    );
    return { records, lookups, advance: (ms: number) => (now += ms) };
  }

  it('looks a known Record up once per TTL, sharing the look-up in flight', async () => {
    const { records, lookups, advance } = cache();
    const [a, b] = await Promise.all([
      records.organizationOf('rec1'),
      records.organizationOf('rec1'),
    ]);
    expect([a, b]).toEqual(['org1', 'org1']);
    await records.organizationOf('rec1');
    expect(lookups).toEqual(['rec1']);
    advance(1001);
    await records.organizationOf('rec1');
    expect(lookups).toEqual(['rec1', 'rec1']);
  });

  it('never keeps an unknown id, so made-up ids cannot fill memory', async () => {
    const { records, lookups } = cache();
    for (let i = 0; i < 100; i++) {
      expect(await records.organizationOf(`nope${i}`)).toBeUndefined();
    }
    expect(records.size).toBe(0);
    await records.organizationOf('nope0');
    expect(lookups.filter(id => id === 'nope0')).toHaveLength(2);
  });

  it('holds at most maxEntries Records, dropping the oldest', async () => {
    const { records } = cache(1000, 1);
    await records.organizationOf('rec1');
    await records.organizationOf('rec2');
    expect(records.size).toBe(1);
  });

  it('forgets a Record at once', async () => {
    const { records, lookups } = cache();
    await records.organizationOf('rec1');
    records.forget('rec1');
    await records.organizationOf('rec1');
    expect(lookups).toEqual(['rec1', 'rec1']);
  });

  it('does not keep a failed look-up', async () => {
    let fail = true;
    const records = new RecordCache(async () => {
      if (fail) throw new Error('database down');
      return 'org1';
    });
    await expect(records.organizationOf('rec1')).rejects.toThrow(
      'database down',
    );
    fail = false;
    expect(await records.organizationOf('rec1')).toBe('org1');
  });
});
