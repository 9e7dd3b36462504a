/**
 * Gateway failures, typed by what the caller must do. Callers branch on the class, never on the message.
 * Messages never contain a card number, JWT, token id or api-key.
 */

export interface GatewayErrorDetails {
  httpStatus?: number;
  resultCode?: string;
  exchangeId?: string;
  cause?: unknown;
}

export abstract class GatewayError extends Error {
  readonly httpStatus?: number;
  readonly resultCode?: string;
  readonly exchangeId?: string;

  constructor(message: string, details: GatewayErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.httpStatus = details.httpStatus;
    this.resultCode = details.resultCode;
    this.exchangeId = details.exchangeId;
  }
}

/** Clearent rejected the request itself (400, 404 on a write): fix the request; nothing was charged. */
export class GatewayInvalidRequestError extends GatewayError {
  override readonly name = 'GatewayInvalidRequestError';
}

/** Clearent refused our api-key (401): a configuration fault, never the storefront's 401. Nothing was charged. */
export class GatewayAuthenticationError extends GatewayError {
  override readonly name = 'GatewayAuthenticationError';
}

/** Clearent could not be reached or answered 5xx before acting: nothing was charged, safe to retry. */
export class GatewayUnavailableError extends GatewayError {
  override readonly name = 'GatewayUnavailableError';
}

/**
 * The request was sent but no usable answer came back (timeout, connection lost, malformed body):
 * the card may or may not have been charged. Look the transaction up (by invoice) before resending.
 */
export class GatewayOutcomeUnknownError extends GatewayError {
  override readonly name = 'GatewayOutcomeUnknownError';
}
