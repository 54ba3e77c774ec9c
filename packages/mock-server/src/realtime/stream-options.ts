/** Tuning of the reference server's SSE streams. Every one has a production-like default. */
export interface StreamOptions {
  /** Real-time ms between heartbeat comments (`: hb`) on idle streams. @default 15000 */
  readonly heartbeatIntervalMs: number;
  /** The `retry:` (ms) every stream opens with: how long clients wait before reconnecting. @default 1000 */
  readonly retryMs: number;
  /** Real-time ms during which one offer's stock changes become one `stock` message. @default 50 */
  readonly stockCoalesceMs: number;
  /** Bytes a stream may queue for a client that is not reading before it is cut off. @default 1 MiB */
  readonly highWaterMarkBytes: number;
  /** Log events read per replay page. @default 256 */
  readonly replayPageSize: number;
  /** Encoded frames each stream keeps for clients that reconnect. @default 2048 */
  readonly frameCacheSize: number;
}

/** Defaults of {@link StreamOptions}. */
export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  heartbeatIntervalMs: 15_000,
  retryMs: 1000,
  stockCoalesceMs: 50,
  highWaterMarkBytes: 1024 * 1024,
  replayPageSize: 256,
  frameCacheSize: 2048,
};
