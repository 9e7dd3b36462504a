/**
 * The one mapping from an error to the contract's error body. An `ApiError` is shown to the caller as is;
 * anything else is a generic 500 whose details stay in the log (never a stack or an internal message).
 */
import type { StoredResponse } from '../payments/transaction';
import { InvalidCursorError } from '../store/cursor';
import { ApiError, InvalidRequestError } from './errors';

export function errorResponse(error: unknown): StoredResponse {
  // Every list answers a cursor it did not hand out the same way.
  if (error instanceof InvalidCursorError) {
    return errorResponse(
      new InvalidRequestError('invalid_cursor', 'cursor is not one this list handed out', 'cursor'),
    );
  }
  if (error instanceof ApiError) {
    const response: StoredResponse = {
      statusCode: error.statusCode,
      body: JSON.stringify({ error: error.toBody() }),
    };
    const { headers } = error;
    return headers ? { ...response, headers } : response;
  }
  return {
    statusCode: 500,
    body: JSON.stringify({
      error: { type: 'api_error', code: 'internal_error', message: 'Something went wrong on our side' },
    }),
  };
}
