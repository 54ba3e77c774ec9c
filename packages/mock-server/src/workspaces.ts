import type { Workspace } from '@livedrop/core';
import { isoTime, type Clock } from './clock';
import { bearer } from './auth';
import { randomToken } from './ids';
import { ApiProblem, notFound } from './problem';
import type { ReferenceServer } from './server';

/** How many workspaces one server keeps at most, unless `maxWorkspaces` says otherwise. */
export const DEFAULT_MAX_WORKSPACES = 100;

/** A workspace and the server that holds it. */
export interface WorkspaceEntry {
  readonly workspace: Workspace;
  readonly server: ReferenceServer;
}

/**
 * The workspaces of one reference server: isolated servers (own tenant, keys, clock offset,
 * faults, journal and reset) behind the same entry point, for suites that run in parallel against
 * one server. A request is routed to a workspace by its key: the workspace's API keys and its
 * control key reach it and nothing else.
 */
export class Workspaces {
  readonly #make: () => ReferenceServer;
  readonly #clock: Clock;
  readonly #max: number;
  /** Every workspace by id, in creation order. */
  readonly #byId = new Map<string, WorkspaceEntry>();
  /** Each workspace's keys (API and control) to the workspace. */
  readonly #byKey = new Map<string, WorkspaceEntry>();

  /** @param make builds one workspace's server; @param max how many may exist (0: none). */
  constructor(make: () => ReferenceServer, clock: Clock, max: number) {
    this.#make = make;
    this.#clock = clock;
    this.#max = max;
  }

  /** Makes a workspace named `name`. */
  create(name = 'workspace'): WorkspaceEntry {
    if (this.#max === 0)
      throw new ApiProblem(
        'invalid_state',
        'This server makes no workspaces: workspaces are made with the root control key, not a workspace’s, and only when maxWorkspaces is above 0.',
      );
    if (this.#byId.size >= this.#max)
      throw new ApiProblem(
        'invalid_state',
        `This server holds its maximum of ${this.#max} workspaces; DELETE /__control/workspaces/{id} the ones you are done with.`,
      );
    const server = this.#make();
    const { secretKey, publishableKey, creatorKey, moderatorKey, creatorId } = server.keys;
    const workspace: Workspace = {
      id: `ws_${randomToken(20)}`,
      object: 'workspace',
      name,
      keys: { secretKey, publishableKey, creatorKey, moderatorKey, controlKey: server.controlKey, creatorId },
      createdAt: isoTime(this.#clock.now()),
    };
    const entry = { workspace, server };
    this.#byId.set(workspace.id, entry);
    for (const key of [secretKey, publishableKey, creatorKey, moderatorKey, server.controlKey])
      this.#byKey.set(key, entry);
    return entry;
  }

  /** Drops workspace `id` and everything in it; its keys answer 401 from then on. */
  delete(id: string): WorkspaceEntry {
    const entry = this.#byId.get(id);
    if (!entry) throw notFound('workspace', id);
    this.#byId.delete(id);
    for (const key of Object.values(entry.workspace.keys)) this.#byKey.delete(key);
    return entry;
  }

  /** Every workspace, oldest first. */
  list(): WorkspaceEntry[] {
    return [...this.#byId.values()];
  }

  /** The server of the workspace whose key `authorization` carries, if any. */
  serverFor(authorization: string | null): ReferenceServer | undefined {
    if (this.#byKey.size === 0 || authorization === null) return undefined;
    return this.#byKey.get(bearer(authorization) ?? '')?.server;
  }
}
