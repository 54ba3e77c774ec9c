import {
  ClockControl,
  ClockState,
  ControlState,
  FaultsControl,
  ResetControl,
  SeedControl,
  SeededState,
  Workspace,
  WorkspaceCreate,
  WorkspaceList,
} from '../schemas/control';
import {
  RequestJournalPage,
  RequestJournalQuery,
  RequestVerification,
  RequestVerify,
} from '../schemas/request-journal';
import type { RouteDefinition } from './route';
import { created, ok, withId } from './route-builders';

/**
 * The reference server's control API (`/__control/*`, control key only): reset, clock, faults,
 * fixtures, workspaces and the request journal. Apart from {@link API_ROUTES}, so a client, which
 * never calls them, carries none of their schemas.
 */
export const CONTROL_ROUTES = {
  controlReset: {
    operationId: 'controlReset',
    method: 'POST',
    path: '/__control/reset',
    auth: 'control',
    body: ResetControl,
    responses: ok(ControlState),
    errors: ['validation_failed', 'malformed_json'],
  },
  controlClock: {
    operationId: 'controlClock',
    method: 'POST',
    path: '/__control/clock',
    auth: 'control',
    body: ClockControl,
    responses: ok(ClockState),
    errors: ['validation_failed', 'malformed_json', 'invalid_state'],
  },
  controlFaults: {
    operationId: 'controlFaults',
    method: 'POST',
    path: '/__control/faults',
    auth: 'control',
    body: FaultsControl,
    responses: ok(ControlState),
    errors: ['validation_failed', 'malformed_json'],
  },
  controlSeed: {
    operationId: 'controlSeed',
    method: 'POST',
    path: '/__control/seed',
    auth: 'control',
    body: SeedControl,
    responses: ok(SeededState),
    errors: ['validation_failed', 'malformed_json'],
  },
  controlCreateWorkspace: {
    operationId: 'controlCreateWorkspace',
    method: 'POST',
    path: '/__control/workspaces',
    auth: 'control',
    body: WorkspaceCreate,
    responses: created(Workspace),
    errors: ['validation_failed', 'malformed_json', 'invalid_state'],
  },
  controlListWorkspaces: {
    operationId: 'controlListWorkspaces',
    method: 'GET',
    path: '/__control/workspaces',
    auth: 'control',
    responses: ok(WorkspaceList),
    errors: [],
  },
  controlDeleteWorkspace: {
    operationId: 'controlDeleteWorkspace',
    method: 'DELETE',
    path: '/__control/workspaces/{id}',
    auth: 'control',
    params: withId('workspace'),
    responses: ok(Workspace),
    errors: ['not_found'],
  },
  controlState: {
    operationId: 'controlState',
    method: 'GET',
    path: '/__control/state',
    auth: 'control',
    responses: ok(ControlState),
    errors: [],
  },
  controlListRequests: {
    operationId: 'controlListRequests',
    method: 'GET',
    path: '/__control/requests',
    auth: 'control',
    query: RequestJournalQuery,
    responses: ok(RequestJournalPage),
    errors: ['validation_failed', 'invalid_state'],
  },
  controlVerifyRequests: {
    operationId: 'controlVerifyRequests',
    method: 'POST',
    path: '/__control/requests/verify',
    auth: 'control',
    body: RequestVerify,
    responses: ok(RequestVerification),
    errors: ['validation_failed', 'malformed_json', 'invalid_state'],
  },
} as const satisfies Record<string, RouteDefinition>;
