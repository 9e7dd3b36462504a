/*
 * The card form inside the SDK's iframe, on the gateway's origin. Asked by the page that embeds it (and
 * by no one else), it checks the card, sends it to this origin's POST /rest/v2/mobilejwt/manual with the
 * page's public key, and hands the page only the gateway's answer: a one-time JWT and the last four
 * digits. The typed card is cleared once it has become a JWT.
 */
(() => {
  const fields = {
    card: document.getElementById('card'),
    expDate: document.getElementById('exp-date'),
    csc: document.getElementById('csc'),
  };
  const message = document.getElementById('message');
  const parentOrigin = originOf(new URLSearchParams(window.location.search).get('parent'));

  function originOf(text) {
    try {
      const url = new URL(text);
      return url.origin === text ? text : null;
    } catch {
      return null;
    }
  }

  function failure(code, text) {
    return { code, status: 'fail', payload: { error: { 'error-message': text }, payloadType: 'error' } };
  }

  function luhn(digits) {
    let sum = 0;
    for (let index = 0; index < digits.length; index += 1) {
      let digit = Number(digits[digits.length - 1 - index]);
      if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    return sum % 10 === 0;
  }

  /** The card as the gateway wants it, or the first field that is wrong and why. */
  function readCard() {
    const card = fields.card.value.replace(/[\s-]/g, '');
    const expiry = fields.expDate.value.replace(/[\s/]/g, '');
    const csc = fields.csc.value.trim();
    const now = new Date();
    const thisMonth = (now.getFullYear() % 100) * 100 + now.getMonth() + 1;
    const month = Number(expiry.slice(0, 2));
    const year = Number(expiry.slice(2));
    if (!/^\d{13,19}$/.test(card) || !luhn(card))
      return { field: fields.card, problem: 'Check the card number' };
    if (!/^\d{4}$/.test(expiry) || month < 1 || month > 12) {
      return { field: fields.expDate, problem: 'Enter the expiry as MM/YY' };
    }
    if (year * 100 + month < thisMonth) return { field: fields.expDate, problem: 'This card has expired' };
    if (!/^\d{3,4}$/.test(csc))
      return { field: fields.csc, problem: 'The CSC is the 3 or 4 digits on the card' };
    return { card: { card, 'exp-date': expiry, csc } };
  }

  function showProblem(field, problem) {
    for (const each of Object.values(fields)) each.removeAttribute('aria-invalid');
    if (field) field.setAttribute('aria-invalid', 'true');
    message.textContent = problem;
  }

  async function paymentToken(publicKey) {
    const read = readCard();
    if (!read.card) {
      showProblem(read.field, read.problem);
      return { ok: false, response: failure('400', read.problem) };
    }
    showProblem(null, '');
    let response;
    try {
      const answer = await fetch('/rest/v2/mobilejwt/manual', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'public-key': publicKey },
        body: JSON.stringify(read.card),
      });
      response = await answer.json();
    } catch {
      showProblem(null, 'The gateway could not be reached');
      return { ok: false, response: failure('503', 'The gateway could not be reached') };
    }
    if (response.status !== 'success') {
      showProblem(null, response.payload?.error?.['error-message'] ?? 'The gateway refused the card');
      return { ok: false, response };
    }
    for (const each of Object.values(fields)) each.value = '';
    return { ok: true, response };
  }

  if (!parentOrigin || window.parent === window) {
    showProblem(null, 'This form works only inside a page that called ClearentSDK.init');
    return;
  }
  window.addEventListener('message', async (event) => {
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    const data = event.data;
    if (data?.type !== 'clearent-get-payment-token' || typeof data.pk !== 'string') return;
    const { ok, response } = await paymentToken(data.pk);
    window.parent.postMessage({ type: 'clearent-payment-token', id: data.id, ok, response }, parentOrigin);
  });
  new ResizeObserver(() => {
    const height = document.documentElement.scrollHeight;
    window.parent.postMessage({ type: 'clearent-form-height', height }, parentOrigin);
  }).observe(document.body);
  window.parent.postMessage({ type: 'clearent-form-ready' }, parentOrigin);
})();
