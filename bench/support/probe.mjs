/**
 * One fan-out probe: publishes it and waits until every subscriber of a group (in the forked
 * bench/sse-subscribers.mjs) has it. Times are on the system-wide monotonic clock, which the
 * subscribers' process reads too.
 */

/** Now on the monotonic clock, in ms (process.hrtime: CLOCK_MONOTONIC on Linux). */
export const nowMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;

/**
 * Publishes probe `probe` with `publish()` and resolves with the ms from then until the last
 * subscriber of `group` had it. Fails after `timeoutMs`, saying how far the group's subscribers got.
 */
export async function probeArrival(subscribers, group, probe, publish, timeoutMs = 30_000) {
  const received = new Promise((resolve, reject) => {
    const timer = setTimeout(async () => {
      const { byProbe, ended } = await subscribers.request({ type: 'status', group });
      reject(
        new Error(
          `probe ${probe} did not reach every ${group} subscriber in ${timeoutMs} ms: subscribers by last probe seen ${JSON.stringify(byProbe)}, ${ended} ended`,
        ),
      );
    }, timeoutMs);
    // Messages of other groups and earlier probes are passed over.
    const wait = () =>
      subscribers.next('received').then((message) => {
        if (message.group !== group || message.probe !== probe) return wait();
        clearTimeout(timer);
        resolve(message);
      }, reject);
    wait();
  });
  const sentMs = nowMs();
  publish();
  const { lastMs } = await received;
  return lastMs - sentMs;
}
