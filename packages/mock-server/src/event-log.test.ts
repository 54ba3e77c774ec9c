import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock';
import { canonicalEvent, EventLog } from './event-log';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const newLog = () => new EventLog({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')), hash: sha256, source: '/livedrop/tenants/ten_"quoted"\\é' });

describe('EventLog.append', () => {
  it('stores exactly JSON.stringify(event) and hashes exactly canonicalEvent(event), for any data', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.dictionary(fc.string(), fc.jsonValue())), { minLength: 1, maxLength: 5 }), (appends) => {
        const log = newLog();
        for (const [subject, data] of appends) {
          // Any data shape: the log must serialize what it is given, not what the contract expects.
          const event = log.append('livedrop.seller.created', subject, data as never);
          const { hash, ...unhashed } = event;
          expect(log.serializedAt(event.seq)).toBe(JSON.stringify(event));
          expect(hash).toBe(sha256(canonicalEvent(unhashed)));
          expect(JSON.parse(log.serializedAt(event.seq)!)).toEqual(event);
        }
        expect(log.verify()).toMatchObject({ valid: true, eventsChecked: appends.length });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a snapshot: changing the object after append changes neither the event nor the chain', () => {
    const log = newLog();
    const seller = { id: 'sel_1', name: 'Before', tags: ['a'] };
    const event = log.append('livedrop.seller.created', 'sel_1', { seller } as never);
    seller.name = 'After';
    seller.tags.push('b');
    expect(event.data).toEqual({ seller: { id: 'sel_1', name: 'Before', tags: ['a'] } });
    expect(log.serializedAt(1)).toContain('"name":"Before"');
    expect(log.verify().valid).toBe(true);
  });
});
