import { EventStore, IngestJob } from '../database/EventStore';
import { EventRow } from '../database/tables';
import { IngestBatcher } from './IngestBatcher';

function job(
  id: string,
  recordId = `record-${id}`,
  kinds: string[] = ['comment'],
): IngestJob {
  return {
    raw: { id, record_id: recordId } as IngestJob['raw'],
    events: kinds.map(kind => ({ id: `${id}-${kind}`, kind } as EventRow)),
  };
}

/** A store whose writes finish only when the test says so. */
function fakeStore() {
  const writes: Array<{ ids: string[]; finish: (error?: Error) => void }> = [];
  const store = {
    write: jest.fn(
      (jobs: IngestJob[]) =>
        new Promise((resolve, reject) => {
          writes.push({
            ids: jobs.map(j => j.raw.id),
            finish: error =>
              error
                ? reject(error)
                : resolve(
                    jobs.map(j => ({
                      accepted: j.events.length,
                      duplicates: 0,
                    })),
                  ),
          });
        }),
    ),
  };
  return { store: store as unknown as EventStore, writes };
}

const tick = () => new Promise(resolve => setImmediate(resolve));

describe('IngestBatcher', () => {
  it('groups deliveries that arrive together into one write', async () => {
    const { store, writes } = fakeStore();
    const batcher = new IngestBatcher(store);
    const outcomes = ['a', 'b', 'c'].map(id => batcher.submit(job(id)));
    await tick();
    expect(writes.map(w => w.ids)).toEqual([['a', 'b', 'c']]);
    writes[0].finish();
    await expect(Promise.all(outcomes)).resolves.toEqual([
      { accepted: 1, duplicates: 0 },
      { accepted: 1, duplicates: 0 },
      { accepted: 1, duplicates: 0 },
    ]);
  });

  it('acknowledges a delivery only after its write has finished', async () => {
    const { store, writes } = fakeStore();
    const batcher = new IngestBatcher(store);
    let settled = false;
    const outcome = batcher.submit(job('a')).then(() => {
      settled = true;
    });
    await tick();
    await tick();
    expect(settled).toBe(false);
    writes[0].finish();
    await outcome;
    expect(settled).toBe(true);
  });

  it('runs up to maxWrites writes at once and queues the rest', async () => {
    const { store, writes } = fakeStore();
    const batcher = new IngestBatcher(store, 1000, 2);
    const outcomes = [batcher.submit(job('a'))];
    await tick();
    outcomes.push(batcher.submit(job('b')));
    await tick();
    outcomes.push(batcher.submit(job('c')), batcher.submit(job('d')));
    await tick();
    expect(writes.map(w => w.ids)).toEqual([['a'], ['b']]);
    writes[1].finish();
    await tick();
    await tick();
    expect(writes.map(w => w.ids)).toEqual([['a'], ['b'], ['c', 'd']]);
    writes[0].finish();
    writes[2].finish();
    await Promise.all(outcomes);
  });

  it("writes a Record's deliveries one write at a time, in arrival order", async () => {
    const { store, writes } = fakeStore();
    const batcher = new IngestBatcher(store, 1000, 3);
    const outcomes = [batcher.submit(job('opened', 'R1'))];
    await tick();
    outcomes.push(
      batcher.submit(job('resolved', 'R1')),
      batcher.submit(job('other', 'R2')),
      batcher.submit(job('later', 'R1')),
    );
    await tick();
    // Another Record goes at once; R1 waits for its write in flight.
    expect(writes.map(w => w.ids)).toEqual([['opened'], ['other']]);
    writes[1].finish();
    await tick();
    await tick();
    expect(writes).toHaveLength(2);
    writes[0].finish();
    await tick();
    await tick();
    expect(writes.map(w => w.ids)).toEqual([
      ['opened'],
      ['other'],
      ['resolved', 'later'],
    ]);
    writes[2].finish();
    await Promise.all(outcomes);
  });

  it('fills a write up to maxBatch and keeps the rest of its Records for later', async () => {
    const { store, writes } = fakeStore();
    const batcher = new IngestBatcher(store, 2, 3);
    const outcomes = [
      batcher.submit(job('a1', 'A')),
      batcher.submit(job('b1', 'B')),
      batcher.submit(job('a2', 'A')),
      batcher.submit(job('c1', 'C')),
    ];
    await tick();
    // A and B are held by the first write, so a2 waits for it; C goes.
    expect(writes.map(w => w.ids)).toEqual([['a1', 'b1'], ['c1']]);
    writes[0].finish();
    await tick();
    await tick();
    expect(writes.map(w => w.ids)).toEqual([['a1', 'b1'], ['c1'], ['a2']]);
    writes[1].finish();
    writes[2].finish();
    await Promise.all(outcomes);
  });

  it('idle() waits for queued and in-flight writes', async () => {
    const { store, writes } = fakeStore();
    const batcher = new IngestBatcher(store, 1000, 1);
    batcher.submit(job('a'));
    await tick();
    batcher.submit(job('b'));
    let idle = false;
    const done = batcher.idle().then(() => {
      idle = true;
    });
    await tick();
    expect(writes.map(w => w.ids)).toEqual([['a']]);
    writes[0].finish();
    await tick();
    await tick();
    expect(writes.map(w => w.ids)).toEqual([['a'], ['b']]);
    expect(idle).toBe(false);
    writes[1].finish();
    await done;
    expect(idle).toBe(true);
  });

  it('retries a failed batch one delivery at a time', async () => {
    const { store, writes } = fakeStore();
    const batcher = new IngestBatcher(store);
    const a = batcher.submit(job('a'));
    const b = batcher.submit(job('b'));
    await tick();
    writes[0].finish(new Error('boom'));
    await tick();
    expect(writes.map(w => w.ids)).toEqual([['a', 'b'], ['a']]);
    writes[1].finish(new Error('bad a'));
    await expect(a).rejects.toThrow('bad a');
    await tick();
    expect(writes.map(w => w.ids)).toEqual([['a', 'b'], ['a'], ['b']]);
    writes[2].finish();
    await expect(b).resolves.toEqual({ accepted: 1, duplicates: 0 });
  });
});
