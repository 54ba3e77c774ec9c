import type { ClockState, ControlState, SeededState, WorkspaceList } from '@livedrop/core';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import { BUILT_IN_FIXTURES } from '../fixtures/built-in';
import { loadFixtureInto } from '../fixtures/load-fixture';
import { created, ok, type Handlers } from '../http/handler';
import { ApiProblem } from '../problem';

/** The summary every control call answers with (the default tenant's log is the one counted). */
async function stateOf(engine: Engine): Promise<ControlState> {
  return {
    object: 'control_state',
    now: engine.nowIso(),
    // `streams`: SSE streams open now (each one a subscriber of the hub).
    counts: { ...engine.store.counts(), streams: engine.streams.stats().open },
    events: await engine.storage.events.head(engine.defaultTenant.tenantId),
    invariantHolds: engine.invariantHolds(),
    faults: engine.faults,
  };
}

/** The reference server's control API (`/__control/*`, control key only): reset, clock, faults, seed, state. */
export const controlHandlers = {
  async controlReset({ engine, body }) {
    await engine.reset({ restoreClock: body.restoreClock === true });
    return ok(await stateOf(engine));
  },

  async controlClock({ engine, body }) {
    const now = engine.clock.now();
    let advanceMs = body.advanceMs ?? 0;
    if (body.setTo !== undefined) {
      const target = Date.parse(body.setTo);
      // Time going backwards would un-expire holds and re-run settled timers; no real clock does that.
      if (target < now)
        throw new ApiProblem(
          'invalid_state',
          `The clock only moves forward: setTo ${body.setTo} is before now (${isoTime(now)}); send a later time or use advanceMs.`,
        );
      advanceMs = target - now;
    }
    // The shared offset moves: every instance sharing the control state sees the new time.
    await engine.advanceClock(advanceMs);
    // `expired` counts holds that lapsed, not every job that ran (settlements, retries, offer ends).
    const { expired } = await engine.sweep();
    const state: ClockState = { object: 'clock', now: engine.nowIso(), expired };
    return ok(state);
  },

  async controlFaults({ engine, body }) {
    await engine.setFaults(body);
    return ok(await stateOf(engine));
  },

  async controlSeed({ engine, body }) {
    const ids = await loadFixtureInto(engine, body.definition ?? BUILT_IN_FIXTURES[body.fixture ?? 'empty']);
    const state: SeededState = { ...(await stateOf(engine)), ids };
    return ok(state);
  },

  controlCreateWorkspace({ engine, body }) {
    return created(engine.workspaces.create(body.name).workspace);
  },

  controlListWorkspaces({ engine }) {
    const list: WorkspaceList = { object: 'list', data: engine.workspaces.list().map((entry) => entry.workspace) };
    return ok(list);
  },

  controlDeleteWorkspace({ engine, params }) {
    return ok(engine.workspaces.delete(params.id).workspace);
  },

  async controlState({ engine }) {
    return ok(await stateOf(engine));
  },
} satisfies Handlers;
