/**
 * Errors a caller of the API can act on, one class per failure, typed as the contract's error model:
 * `type` says what the caller must do, `code` says exactly what happened. Anything that is not an
 * `ApiError` becomes a generic 500 `api_error` whose details stay in the log.
 */
import type * as z from '../zod';
import type { apiErrorBodySchema, apiErrorTypeSchema, ErrorCodeOf } from './schemas/error';

export type ApiErrorType = z.infer<typeof apiErrorTypeSchema>;
/** The `error` object of every error answer (./schemas/error.ts). */
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

export abstract class ApiError<Type extends ApiErrorType = ApiErrorType> extends Error {
  abstract readonly statusCode: number;
  abstract readonly type: Type;

  constructor(
    /** One of the codes the OpenAPI document lists for `type` (./schemas/error.ts). */
    readonly code: ErrorCodeOf<Type>,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }

  /** Headers the answer carries besides its body (e.g. `retry-after`). */
  get headers(): Record<string, string> | undefined {
    return undefined;
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { type: this.type, code: this.code, message: this.message };
    if (this.param !== undefined) body.param = this.param;
    return body;
  }
}

/** 400: the request is malformed; fix it before retrying. */
export class InvalidRequestError extends ApiError<'invalid_request_error'> {
  override readonly name = 'InvalidRequestError';
  readonly statusCode = 400;
  readonly type = 'invalid_request_error';
}

/** 404: no such resource for this storefront (another storefront's resources look exactly like this). */
export class NotFoundError extends ApiError<'invalid_request_error'> {
  override readonly name = 'NotFoundError';
  readonly statusCode = 404;
  readonly type = 'invalid_request_error';

  constructor(resource: string, param?: string) {
    super('resource_missing', `No such ${resource}`, param);
  }
}

/** 413: the body is larger than the API accepts. */
export class PayloadTooLargeError extends ApiError<'invalid_request_error'> {
  override readonly name = 'PayloadTooLargeError';
  readonly statusCode = 413;
  readonly type = 'invalid_request_error';
}

/** 422: well-formed, but not possible in the resource's current state (e.g. refunding more than remains). */
export class UnprocessableRequestError extends ApiError<'invalid_request_error'> {
  override readonly name = 'UnprocessableRequestError';
  readonly statusCode = 422;
  readonly type = 'invalid_request_error';
}

/** 401: missing or wrong storefront API key. */
export class AuthenticationError extends ApiError<'authentication_error'> {
  override readonly name = 'AuthenticationError';
  readonly statusCode = 401;
  readonly type = 'authentication_error';
}

/** 409: the same Idempotency-Key is still being processed; retry after `retryAfterSeconds`. */
export class IdempotencyInProgressError extends ApiError<'idempotency_error'> {
  override readonly name = 'IdempotencyInProgressError';
  readonly statusCode = 409;
  readonly type = 'idempotency_error';

  constructor(readonly retryAfterSeconds: number) {
    super(
      'idempotency_key_in_use',
      'A request with this Idempotency-Key is still being processed; retry after it finishes',
    );
  }

  override get headers(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}

/** 422: the Idempotency-Key was already used for a different request. */
export class IdempotencyMismatchError extends ApiError<'idempotency_error'> {
  override readonly name = 'IdempotencyMismatchError';
  readonly statusCode = 422;
  readonly type = 'idempotency_error';

  constructor() {
    super(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request body or route',
    );
  }
}

/**
 * 429: the storefront sent more requests than its rate limit allows (shared/store/rate-limit.ts);
 * nothing was done, and the same request (same Idempotency-Key) may be sent after `retryAfterSeconds`.
 */
export class RateLimitError extends ApiError<'rate_limit_error'> {
  override readonly name = 'RateLimitError';
  readonly statusCode = 429;
  readonly type = 'rate_limit_error';

  constructor(readonly retryAfterSeconds: number) {
    super(
      'rate_limit_exceeded',
      'Too many requests for this storefront; retry after the Retry-After seconds',
    );
  }

  override get headers(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}

/** 502 or 504: the card gateway failed a request that is not a transaction (e.g. deleting a card's token). */
export class GatewayRequestError extends ApiError<'gateway_error'> {
  override readonly name = 'GatewayRequestError';
  readonly type = 'gateway_error';

  constructor(
    readonly statusCode: 502 | 504,
    code: ErrorCodeOf<'gateway_error'>,
    message: string,
  ) {
    super(code, message);
  }
}
