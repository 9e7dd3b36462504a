/*
 * The demo checkout's page script. Clearent's SDK (locally, the simulator's stand-in) turns the card typed
 * into its iframe into a one-time JWT; this script sends only that JWT and the amount to the storefront's
 * backend (/demo/pay), never the card. Then it offers a charge of the saved card (/demo/pay-again) and a
 * refund (/demo/refund). Each answer is the payments API's own, and is told to the person as it is.
 */
(() => {
  const element = (id) => document.getElementById(id);
  const { clearentBaseUrl, publicKey } = document.body.dataset;
  const buttons = ['pay', 'pay-again', 'refund'].map(element);
  /** The saved card to charge again, and the latest approved sale to refund. */
  const state = { card: null, sale: null };

  const amount = () => element('amount').value.trim();
  const cardLabel = (card) => (card?.last4 ? `${card.brand ?? 'Card'} •••• ${card.last4}` : 'the card');

  function say(kind, text) {
    element('outcome').className = kind;
    element('outcome').textContent = text;
  }

  function refresh() {
    element('pay').textContent = `Pay $${amount()}`;
    element('next').hidden = !state.card && !state.sale;
    element('saved-card').hidden = !state.card;
    element('saved-card-label').textContent = state.card ? cardLabel(state.card) : '';
    element('pay-again').hidden = !state.card;
    element('refund').hidden = !state.sale;
    element('refund').textContent = state.sale ? `Refund the last payment ($${state.sale.amount})` : '';
  }

  function record(transaction, what) {
    const rows = element('transactions');
    rows.querySelector('.empty')?.remove();
    const gateway = transaction.gateway ?? {};
    const cells = [
      what,
      transaction.status,
      `$${transaction.amount}`,
      cardLabel(transaction.card),
      [gateway.resultCode, gateway.message].filter(Boolean).join(' '),
      transaction.id,
    ];
    const row = document.createElement('tr');
    row.className = transaction.status;
    row.dataset.transactionId = transaction.id;
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    rows.prepend(row);
  }

  /** Tells what the API answered: approved, declined and why, or why nothing happened. */
  function show({ status, body }, action) {
    const transaction = status === 201 ? body : body?.transaction;
    if (transaction) record(transaction, action.what);
    if (status === 201) {
      say('approved', transaction.type === 'refund' ? refunded(transaction) : approved(transaction, action));
    } else if (body?.error?.type === 'card_error') {
      say('declined', `Declined (${body.error.declineCode}): ${body.error.message}. Nothing was charged.`);
    } else {
      const what = status === 504 ? 'Outcome not known yet' : 'Nothing was charged';
      say('error', `${what}: ${body?.error?.message ?? `the server answered ${status}`}`);
    }
    refresh();
  }

  function approved(sale, action) {
    state.sale = sale;
    const authorization = sale.gateway?.authorizationCode;
    let text = `Approved: $${sale.amount} charged to ${cardLabel(sale.card)}`;
    text += authorization ? ` (authorization ${authorization}).` : '.';
    if (action.savesCard && sale.cardId) {
      state.card = { id: sale.cardId, ...sale.card };
      text += ` Card saved: ${cardLabel(sale.card)}.`;
    } else if (action.savesCard) {
      text += ' The card could not be saved.';
    }
    return text;
  }

  function refunded(refund) {
    state.sale = null;
    return `Refund approved: $${refund.amount} back to ${cardLabel(refund.card)}.`;
  }

  async function post(path, body) {
    try {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    } catch {
      return { status: 0, body: { error: { message: 'the storefront backend could not be reached' } } };
    }
  }

  /** Runs one action with the buttons disabled, so a double click is not a second payment. */
  async function run(action) {
    for (const button of buttons) button.disabled = true;
    try {
      await action();
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  }

  async function pay() {
    say('working', 'Getting a one-time token for the card…');
    let result;
    try {
      result = await window.ClearentSDK.getPaymentToken();
    } catch (error) {
      say(
        'error',
        `The card form says: ${error?.payload?.error?.['error-message'] ?? 'no token was issued'}`,
      );
      return;
    }
    say('working', `Charging $${amount()}…`);
    const jwt = result.payload['mobile-jwt'].jwt;
    show(await post('/demo/pay', { amount: amount(), jwt }), { what: 'sale, card form', savesCard: true });
  }

  async function payAgain() {
    say('working', `Charging $${amount()} to ${cardLabel(state.card)}…`);
    const answer = await post('/demo/pay-again', { amount: amount(), cardId: state.card.id });
    show(answer, { what: 'sale, saved card' });
  }

  async function refund() {
    say('working', `Refunding $${state.sale.amount}…`);
    show(await post('/demo/refund', { transactionId: state.sale.id }), { what: 'refund' });
  }

  element('amount').addEventListener('input', refresh);
  element('pay').addEventListener('click', () => run(pay));
  element('pay-again').addEventListener('click', () => run(payAgain));
  element('refund').addEventListener('click', () => run(refund));
  refresh();
  if (!window.ClearentSDK) {
    say('error', `Clearent's SDK did not load from ${clearentBaseUrl}: is the gateway reachable?`);
    element('pay').disabled = true;
  } else if (!publicKey) {
    say(
      'error',
      "Set CLEARENT_PUBLIC_KEY to the storefront's Clearent public key (the SDK needs it) and restart.",
    );
    element('pay').disabled = true;
  } else {
    window.ClearentSDK.init({ baseUrl: clearentBaseUrl, pk: publicKey });
  }
})();
