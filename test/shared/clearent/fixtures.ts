/**
 * Canned Clearent answers, as documented in shared/clearent-gateway.md (Clearent's own examples),
 * and the obviously fake credentials the tests use.
 */

export const API_KEY = 'test_api_key_not_secret';
/** JWT-shaped but fake: header {"alg":"HS256"}, payload {"sub":"test"}. */
export const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.fake_signature_not_secret';
export const TOKEN_ID = '1100000900023211111';

const TRANSACTION_LINK = { rel: 'transaction', href: '/rest/v2/transactions?id=118810621', id: '118810621' };
const TOKEN_LINK = { rel: 'token', href: `/rest/v2/tokens/${TOKEN_ID}`, id: TOKEN_ID };

const approvedTransaction = {
  amount: '15.55',
  id: '118810621',
  created: '2025-05-08 18:56:50.930',
  type: 'SALE',
  result: 'APPROVED',
  card: 'XXXXXXXXXXXX1111',
  'authorization-code': 'TAS475',
  'batch-string-id': '63',
  'display-message': 'Transaction approved',
  'result-code': '000',
  'exp-date': '1229',
  'software-type': 'test-software',
  'card-type': 'VISA',
  'last-four': '1111',
  'merchant-id': '6588000000000001',
  'terminal-id': '10011111',
  'create-token': true,
  invoice: 'txn_1',
  'order-id': 'A-1001',
};

/** Approved JWT sale with create-token: the token id only in the `token` link. */
export const jsonApprovalWithTokenLink = JSON.stringify({
  code: '200',
  status: 'success',
  'exchange-id': 'ID-clearent-mobile-jwt-1-e4795490',
  links: [TRANSACTION_LINK, TOKEN_LINK],
  payload: { transaction: approvedTransaction, payloadType: 'transaction' },
});

/** Approved, the token id only in `tokenResponse`; `create-token` as the string "true", no last-four. */
export const jsonApprovalWithTokenResponse = JSON.stringify({
  code: '200',
  status: 'success',
  'exchange-id': 'ID-clearent-2',
  links: [TRANSACTION_LINK],
  payload: {
    transaction: { ...approvedTransaction, 'create-token': 'true', 'last-four': undefined },
    tokenResponse: {
      'token-id': TOKEN_ID,
      'times-used': '0',
      status: 'Active',
      'token-status': 'ACTIVE',
      'last-four-digits': '1111',
      'card-type': 'VISA',
      'exp-date': '1229',
    },
    payloadType: 'transaction',
  },
});

/** Declined (HTTP 402) with both transaction and error. */
export const jsonDecline = JSON.stringify({
  code: '402',
  status: 'fail',
  'exchange-id': 'ID-clearent-decline',
  links: [{ rel: 'transaction', href: '/rest/v2/transactions?id=1107315', id: '1107315' }],
  payload: {
    transaction: {
      amount: '3.33',
      id: '1107315',
      type: 'SALE',
      result: 'DECLINED',
      card: 'XXXXXXXXXXXX1111',
      'display-message': 'Declined by Issuer - Invalid card security code',
      'result-code': '018',
      'exp-date': '1020',
    },
    error: { 'error-message': 'Declined by Issuer - Invalid card security code', 'result-code': '073' },
    payloadType: 'error',
  },
});

/** Refused (HTTP 402) with only an error, no transaction. */
export const jsonRefusalWithoutTransaction = JSON.stringify({
  code: '402',
  status: 'fail',
  'exchange-id': 'ID-clearent-refusal',
  payload: {
    error: { 'error-message': 'Duplicate transaction', 'result-code': '032' },
    payloadType: 'error',
  },
});

/** Invalid card number (HTTP 400) answered with a transaction. */
export const jsonInvalidCardWithTransaction = JSON.stringify({
  code: '400',
  status: 'fail',
  payload: {
    transaction: {
      amount: '0.14',
      id: '1107316',
      type: 'SALE',
      result: 'INVALID_REQUEST',
      'result-code': '009',
    },
    payloadType: 'transaction',
  },
});

/** Missing field (HTTP 400), no transaction. */
export const jsonInvalidRequest = JSON.stringify({
  code: '400',
  status: 'fail',
  'exchange-id': 'ID-clearent-400',
  payload: { error: { 'error-message': 'amount is required', 'result-code': '002' }, payloadType: 'error' },
});

/** Bad api-key (HTTP 401). */
export const jsonUnauthorized = JSON.stringify({
  code: '401',
  status: 'fail',
  payload: {
    error: { 'error-message': 'UNAUTHORIZED', 'result-code': '042', 'time-stamp': '2025-05-08 18:56:50.930' },
    payloadType: 'error',
  },
});

/** JWT issued by `/rest/v2/mobilejwt/manual`. */
export const jsonJwtIssued = JSON.stringify({
  code: '200',
  status: 'success',
  'exchange-id': 'ID-clearent-jwt',
  payload: { 'mobile-jwt': { jwt: JWT, 'last-four': '1111' }, payloadType: 'mobile-jwt' },
});

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** The JWT sale approval, as XML. */
export const xmlApproval = `${XML_DECLARATION}
<response>
  <code>200</code>
  <status>success</status>
  <exchange-id>ID-clearent-xml-1</exchange-id>
  <links><rel>transaction</rel><href>/rest/v2/transactions?id=118810621</href><id>118810621</id></links>
  <links><rel>token</rel><href>/rest/v2/tokens/${TOKEN_ID}</href><id>${TOKEN_ID}</id></links>
  <payload type="transaction">
    <transaction>
      <amount>15.55</amount><id>118810621</id><type>SALE</type><result>APPROVED</result>
      <card>XXXXXXXXXXXX1111</card><authorization-code>TAS475</authorization-code>
      <display-message>Transaction approved</display-message><result-code>000</result-code>
      <exp-date>1229</exp-date><card-type>VISA</card-type><last-four>1111</last-four>
      <create-token>true</create-token><invoice>txn_1</invoice><order-id/>
    </transaction>
  </payload>
</response>`;

/** A decline, as XML (`payload type="errorTransaction"`). */
export const xmlDecline = `${XML_DECLARATION}
<response>
  <code>402</code>
  <status>fail</status>
  <exchange-id>ID-clearent-xml-2</exchange-id>
  <links><rel>transaction</rel><href>/rest/v2/transactions?id=1107320</href><id>1107320</id></links>
  <payload type="errorTransaction">
    <transaction>
      <amount>0.21</amount><id>1107320</id><type>SALE</type><result>DECLINED</result>
      <card>XXXXXXXXXXXX1111</card><display-message>Insufficient funds</display-message>
      <result-code>012</result-code><exp-date>1229</exp-date>
    </transaction>
    <error><error-message>Insufficient funds</error-message><result-code>012</result-code></error>
  </payload>
</response>`;

/** A search answer listing two transactions, oldest first. */
export const xmlSearchList = `${XML_DECLARATION}
<response>
  <code>200</code>
  <status>success</status>
  <exchange-id>ID-clearent-xml-3</exchange-id>
  <payload type="transactions">
    <transactions>
      <transaction><amount>5.00</amount><id>200</id><type>SALE</type><result>DECLINED</result>
        <result-code>012</result-code><invoice>txn_9</invoice><created>2025-05-08 10:00:00.000</created></transaction>
      <transaction><amount>5.00</amount><id>201</id><type>SALE</type><result>APPROVED</result>
        <result-code>000</result-code><invoice>txn_9</invoice><created>2025-05-08 10:05:00.000</created></transaction>
    </transactions>
  </payload>
</response>`;

/** A lookup answer: one transaction in a `transactions` list. */
export const jsonLookupList = JSON.stringify({
  code: '200',
  status: 'success',
  'exchange-id': 'ID-clearent-lookup',
  payload: { transactions: { transaction: [approvedTransaction] }, payloadType: 'transactions' },
});

/** A token read. */
export const jsonToken = JSON.stringify({
  code: '200',
  status: 'success',
  'exchange-id': 'ID-clearent-token',
  links: [{ rel: 'self', href: `/rest/v2/tokens/${TOKEN_ID}`, id: TOKEN_ID }],
  payload: {
    tokenResponse: {
      'token-id': TOKEN_ID,
      'times-used': 1,
      status: true,
      'token-status': 'ACTIVE',
      'last-four-digits': '1111',
      'card-type': 'VISA',
      'exp-date': '1229',
    },
    payloadType: 'tokenResponse',
  },
});
