/**
 * The server's clock as the page sees it: how far the `Date` header of API responses is from the
 * page's clock. An offer's "ends in" counts down to the server's `endsAt` on it, so a page whose
 * clock is off (or a reference server on a test clock) still shows the time the server will keep.
 */
export class ServerClock {
  #offsetMs = 0;

  /** Takes the `Date` header of a response just received (whole seconds: read as the middle of its second). */
  sync(date: string | null): void {
    const at = date === null ? Number.NaN : Date.parse(date);
    if (!Number.isNaN(at)) this.#offsetMs = at + 500 - Date.now();
  }

  /** The server's time now, in epoch ms. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }
}
