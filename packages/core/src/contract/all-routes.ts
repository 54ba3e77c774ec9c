import { CONTROL_ROUTES } from './control-routes';
import { API_ROUTES } from './routes';

/**
 * Every route, keyed by operation id: the API's ({@link API_ROUTES}) and the reference server's
 * control API ({@link CONTROL_ROUTES}). What the server routes and the OpenAPI document lists.
 * @see {@link RouteDefinition}
 */
// A call, not a spread: the build marks it free of side effects, so a bundle that never reads
// ROUTES drops it and the control routes' schemas with it (decision 0004).
export const ROUTES: typeof API_ROUTES & typeof CONTROL_ROUTES = Object.assign({}, API_ROUTES, CONTROL_ROUTES);
