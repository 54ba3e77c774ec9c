import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealtimeEmitter } from './emitter';

interface Events {
  tick: [n: number];
  done: [];
}

/** Exposes `deliver`, which only streams call. */
class TestEmitter extends RealtimeEmitter<Events> {
  fire<K extends keyof Events>(name: K, ...args: Events[K]): void {
    this.deliver(name, ...args);
  }
}

describe('RealtimeEmitter', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('calls listeners in the order they were added, with the arguments', () => {
    const emitter = new TestEmitter();
    const seen: string[] = [];
    emitter.on('tick', (n) => seen.push(`a${n}`)).on('tick', (n) => seen.push(`b${n}`));
    emitter.fire('tick', 1);
    emitter.fire('tick', 2);
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('calls a once listener for the next event only', () => {
    const emitter = new TestEmitter();
    const once = vi.fn();
    const always = vi.fn();
    emitter.once('tick', once).on('tick', always);
    emitter.fire('tick', 1);
    emitter.fire('tick', 2);
    expect(once.mock.calls).toEqual([[1]]);
    expect(always.mock.calls).toEqual([[1], [2]]);
    expect(emitter.listenerCount('tick')).toBe(1);
  });

  it('removes one listener, every listener of an event, or all of them', () => {
    const emitter = new TestEmitter();
    const a = vi.fn();
    const b = vi.fn();
    emitter.on('tick', a).on('tick', b).on('tick', a).on('done', b);
    expect(emitter.listeners('tick')).toEqual([a, b, a]);
    emitter.off('tick', a);
    expect(emitter.listeners('tick')).toEqual([b]);
    emitter.off('tick');
    expect(emitter.listenerCount('tick')).toBe(0);
    expect(emitter.eventNames()).toEqual(['done']);
    emitter.removeAllListeners();
    expect(emitter.eventNames()).toEqual([]);
    emitter.fire('tick', 1);
    emitter.fire('done');
    expect(a).not.toHaveBeenCalled();
    expect(b).not.toHaveBeenCalled();
  });

  it('keeps delivering to the other listeners when one throws, and reports the exception', () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error));
    const emitter = new TestEmitter();
    const after = vi.fn();
    const boom = new Error('listener bug');
    emitter.on('tick', () => {
      throw boom;
    });
    emitter.on('tick', after);
    expect(() => emitter.fire('tick', 7)).not.toThrow();
    expect(after).toHaveBeenCalledWith(7);
    expect(reported).toEqual([boom]);
  });

  it('delivers an event to the listeners it had when it started', () => {
    const emitter = new TestEmitter();
    const late = vi.fn();
    const removed = vi.fn();
    emitter.on('tick', () => {
      emitter.on('tick', late);
      emitter.off('tick', removed);
    });
    emitter.on('tick', removed);
    emitter.fire('tick', 1);
    expect(late).not.toHaveBeenCalled();
    expect(removed).toHaveBeenCalledTimes(1);
    emitter.fire('tick', 2);
    expect(late).toHaveBeenCalledWith(2);
    expect(removed).toHaveBeenCalledTimes(1);
  });
});
