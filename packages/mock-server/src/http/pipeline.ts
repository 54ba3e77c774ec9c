import type { ReferenceServer } from '../server';
import type { ServerAnswer } from './server-answer';
import type { ServerRequest } from './server-request';

/** The reference server's request pipeline (CORS → route → auth → idempotency → faults → handler) over the light request shape. */
export type Pipeline = (request: ServerRequest) => Promise<ServerAnswer>;

const pipelines = new WeakMap<ReferenceServer, Pipeline>();

/** Records the pipeline behind `server.handle`, so transports that can skip WHATWG objects find it. */
export function registerPipeline(server: ReferenceServer, pipeline: Pipeline): void {
  pipelines.set(server, pipeline);
}

/** The pipeline behind `server`, if it is a reference server made by `createReferenceServer`. */
export function pipelineOf(server: ReferenceServer): Pipeline | undefined {
  return pipelines.get(server);
}
