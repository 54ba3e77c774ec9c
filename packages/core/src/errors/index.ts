export { LiveDropError, isLiveDropError } from './live-drop-error';
export { ApiError } from './api-error';
export type { ApiErrorCode, ApiErrorInit, ErrorCodeOf } from './api-error';
export {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PaymentRequiredError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  UnprocessableEntityError,
} from './status-errors';
export { AbortError, ConnectionError, TimeoutError } from './transport-errors';
export { ResponseValidationError } from './response-validation-error';
export type { ResponseIssue } from './response-validation-error';
export { errorFromResponse } from './error-from-response';
