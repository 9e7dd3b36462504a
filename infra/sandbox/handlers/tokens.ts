/**
 * Card tokens: `GET`/`DELETE /rest/v2/tokens/{id}` and `POST /rest/v2/tokens` (from a card number).
 * A deleted token answers 404 afterwards, like one that never existed; charging it is declined (009).
 */
import { isValidCardNumber, maskCard } from '../cards';
import type { GatewayHandler, GatewayRequest } from '../context';
import { errorEnvelope, NOT_FOUND_RESULT_CODE, tokenLink, tokenObject } from '../envelopes';
import { FieldError, INVALID_CARD_NUMBER, optionalString, requiredExpDate, requiredString } from '../fields';
import type { LedgerToken } from '../ledger';
import type { Envelope } from '../wire';

export const getToken: GatewayHandler = (request, state) => {
  const token = liveToken(state.ledger.findToken(request.pathId ?? ''));
  return token ? tokenEnvelope(token, request) : tokenNotFound(request);
};

export const deleteToken: GatewayHandler = (request, state) => {
  const token = liveToken(state.ledger.findToken(request.pathId ?? ''));
  if (!token) return tokenNotFound(request);
  state.ledger.deleteToken(token.tokenId, request.receivedAt);
  const deleted = state.ledger.findToken(token.tokenId) ?? token;
  return tokenEnvelope(deleted, request);
};

/** Tokenizes a card number without charging it. */
export const createToken: GatewayHandler = (request, state) => {
  const body = request.body;
  const cardNumber = requiredString(body, 'card');
  const expDate = requiredExpDate(body);
  if (!isValidCardNumber(cardNumber)) {
    throw new FieldError(INVALID_CARD_NUMBER, 'Invalid card number');
  }
  const description = optionalString(body, 'token-description') ?? optionalString(body, 'description');
  const token = state.ledger.createToken(maskCard(cardNumber, expDate), request.receivedAt, description);
  return tokenEnvelope(token, request);
};

function liveToken(token: LedgerToken | undefined): LedgerToken | undefined {
  return token && !token.deleted ? token : undefined;
}

function tokenEnvelope(token: LedgerToken, request: GatewayRequest): Envelope {
  return {
    code: '200',
    status: 'success',
    'exchange-id': request.exchangeId,
    links: [tokenLink(token.tokenId)],
    payload: { tokenResponse: tokenObject(token), payloadType: 'tokenResponse' },
  };
}

function tokenNotFound(request: GatewayRequest): Envelope {
  return errorEnvelope(404, NOT_FOUND_RESULT_CODE, 'Token not found', request.exchangeId, request.receivedAt);
}
