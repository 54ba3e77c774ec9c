export { API_KEY_ROLES, COMMON_ERRORS } from './route';
export type {
  ApiKeyRole,
  HttpMethod,
  RouteAuth,
  RouteDefinition,
  RouteEndpoint,
  RouteHeader,
  RouteHeaderName,
  RouteResponse,
} from './route';
export { PUBLIC_ENDPOINTS } from './public-routes';
export type { PublicOperationId } from './public-routes';
export { ROUTES } from './all-routes';
export { CONTROL_ROUTES } from './control-routes';
export { API_ROUTES } from './routes';
export type { OperationId } from './routes';
