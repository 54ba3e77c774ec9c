import { MemoryStorage, type MemoryStorageOptions } from '../../src/storage/memory/memory-storage';
import type { Storage } from '../../src/storage/storage';
import type { Transaction } from '../../src/storage/transaction';

/** Resolves on a later turn of the event loop (a macrotask), as a network round trip to a store would. */
export const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `target` with every method that returns a promise made to yield to the event loop first; async iterables yield before each item. */
function yieldEachCall<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, name, receiver) {
      const value: unknown = Reflect.get(object, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(object, args);
        if (result instanceof Promise) return macrotask().then(() => result);
        if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
          return (async function* () {
            for await (const item of result as AsyncIterable<unknown>) {
              await macrotask();
              yield item;
            }
          })();
        }
        return result;
      };
    },
  });
}

/**
 * The memory storage as a store across a network would behave: every call yields to the event loop
 * before it answers, so any code that assumed "no await between my check and my write" is exposed.
 *
 * `atomic: true` keeps each transaction atomic (it yields before, not inside, the transition and its
 * commit) — what a Redis script or a compare-and-set gives. `atomic: false` is deliberately broken:
 * it yields between running the transition and committing its copies, so concurrent transactions
 * overwrite each other's writes (lost updates). Tests use it to prove they would catch such a store.
 */
export class YieldingStorage implements Storage {
  readonly #inner: MemoryStorage;
  readonly #atomic: boolean;
  readonly records;
  readonly events;
  readonly scheduler;
  readonly idempotency;
  readonly rateLimits;
  readonly control;

  constructor(options: MemoryStorageOptions & { atomic: boolean }) {
    this.#inner = new MemoryStorage(options);
    this.#atomic = options.atomic;
    this.records = this.#inner.records;
    this.events = yieldEachCall(this.#inner.events);
    this.scheduler = yieldEachCall(this.#inner.scheduler);
    this.idempotency = yieldEachCall(this.#inner.idempotency);
    this.rateLimits = yieldEachCall(this.#inner.rateLimits);
    this.control = yieldEachCall(this.#inner.control);
  }

  async transact<R>(transition: (tx: Transaction) => R): Promise<R> {
    await macrotask();
    const tx = this.#inner.begin();
    const result = transition(tx);
    if (!this.#atomic) await macrotask();
    this.#inner.commit(tx);
    return result;
  }

  async reset(): Promise<void> {
    await macrotask();
    await this.#inner.reset();
  }
}

/** An engine `storage` option: {@link YieldingStorage} on the engine's clock. */
export function yieldingStorage(atomic: boolean) {
  return (context: MemoryStorageOptions): Storage => new YieldingStorage({ ...context, atomic });
}
