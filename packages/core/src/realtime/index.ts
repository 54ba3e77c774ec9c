export { PublicRealtime, Realtime } from './realtime';
export type { PlatformEventStream, RealtimeClientOptions, RealtimeOptions, SessionStream } from './realtime';
export { DEFAULT_STALL_TIMEOUT_MS, RealtimeStream } from './stream';
export type { RealtimeStreamOptions } from './stream';
export { RealtimeEmitter } from './emitter';
export type {
  Listener,
  ListenerArgs,
  PlatformStreamEvents,
  SessionStreamEvents,
  StreamConnectedInfo,
  StreamLifecycleEvents,
  StreamReconnectingInfo,
  StreamState,
} from './emitter';
export { ReconnectManager, reconnectManager } from './reconnect-manager';
export type { ReconnectEventSetup } from './reconnect-manager';
export { SseParser } from './sse-parser';
export type { SseMessage, SseParserHandlers } from './sse-parser';
export { createFetchStreamTransport } from './transport';
export type { StreamOpenOptions, StreamTransport } from './transport';
