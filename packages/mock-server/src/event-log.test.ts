import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock';
import { MemoryStorage } from './storage/memory/memory-storage';
import { canonicalEvent, EventLog } from './event-log';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const SOURCE = '/livedrop/tenants/ten_"quoted"\\é';
const TIME = '2026-11-25T18:00:00.000Z';
const newLog = () => new EventLog({ hash: sha256, source: SOURCE });

describe('EventLog.append', () => {
  it('stores exactly JSON.stringify(event) and hashes exactly canonicalEvent(event), for any data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string(), fc.dictionary(fc.string(), fc.jsonValue())), { minLength: 1, maxLength: 5 }),
        (appends) => {
          const log = newLog();
          for (const [subject, data] of appends) {
            // Any data shape: the log must serialize what it is given, not what the contract expects.
            const event = log.append('livedrop.seller.created', subject, JSON.stringify(data), TIME);
            const { hash, ...unhashed } = event;
            expect(log.serializedAt(event.seq)).toBe(JSON.stringify(event));
            expect(hash).toBe(sha256(canonicalEvent(unhashed)));
            expect(JSON.parse(log.serializedAt(event.seq)!)).toEqual(event);
          }
          expect(log.verify()).toMatchObject({ valid: true, eventsChecked: appends.length });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a snapshot: changing the object after emit changes neither the event nor the chain', async () => {
    const storage = new MemoryStorage({ clock: createManualClock(Date.parse(TIME)), hash: sha256, source: SOURCE });
    const seller = { id: 'sel_1', name: 'Before', tags: ['a'] };
    await storage.transact((tx) => {
      tx.emit('ten_1', 'livedrop.seller.created', 'sel_1', { seller } as never);
      seller.name = 'After';
      seller.tags.push('b');
    });
    const [stored] = await storage.events.read('ten_1', 0, 10);
    expect(stored?.event.data).toEqual({ seller: { id: 'sel_1', name: 'Before', tags: ['a'] } });
    expect(stored?.text).toContain('"name":"Before"');
    expect(stored?.event.time).toBe(TIME);
    expect((await storage.events.verify('ten_1')).valid).toBe(true);
  });
});
