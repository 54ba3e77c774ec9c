export { API_KEY_ROLES, COMMON_ERRORS } from './route';
export type { ApiKeyRole, HttpMethod, RouteAuth, RouteDefinition, RouteHeader, RouteResponse } from './route';
export { ROUTES } from './routes';
export type { OperationId } from './routes';
