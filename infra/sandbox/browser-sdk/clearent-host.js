/*
 * The local Clearent simulator's stand-in for Clearent's JavaScript SDK (clearent-host.js), with the
 * same API:
 *
 *   ClearentSDK.init({ baseUrl, pk });       // the card form appears in <div id="payment-form">
 *   ClearentSDK.getPaymentToken().then(
 *     (result) => result.payload['mobile-jwt'].jwt,  // the gateway's mobile-jwt answer
 *     (error) => error.payload.error['error-message'], // the gateway's error answer
 *   );
 *
 * The card form is an iframe of the gateway's origin, so this page can neither read nor change what is
 * typed into it. The two talk by postMessage only, each naming the other's origin as the target and
 * checking it (and the sending window) on everything it receives.
 */
(() => {
  const FORM_PATH = '/js-sdk/payment-form.html';
  const ANSWER_TIMEOUT_MS = 60_000;
  let frame = null;
  let gatewayOrigin = '';
  let publicKey = '';
  let nextId = 1;
  let ready = null;
  let markReady = () => {};
  const pending = new Map();

  /** An error answer shaped as the gateway's, so callers read every failure the same way. */
  function failure(message) {
    return {
      code: '400',
      status: 'fail',
      payload: { error: { 'error-message': message }, payloadType: 'error' },
    };
  }

  function onMessage(event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== gatewayOrigin) return;
    const data = event.data;
    if (!data || typeof data !== 'object') return;
    if (data.type === 'clearent-form-ready') markReady();
    if (data.type === 'clearent-form-height' && Number.isFinite(data.height)) {
      frame.style.height = `${Math.ceil(data.height)}px`;
    }
    if (data.type === 'clearent-payment-token' && pending.has(data.id)) {
      const { resolve, reject } = pending.get(data.id);
      pending.delete(data.id);
      if (data.ok) resolve(data.response);
      else reject(data.response);
    }
  }

  function reset() {
    window.removeEventListener('message', onMessage);
    for (const { reject } of pending.values()) reject(failure('ClearentSDK was reset'));
    pending.clear();
    if (frame) frame.remove();
    frame = null;
    ready = null;
  }

  function init(options) {
    const settings = options || {};
    if (typeof settings.baseUrl !== 'string' || typeof settings.pk !== 'string' || settings.pk === '') {
      throw new Error('ClearentSDK.init needs { baseUrl, pk }');
    }
    const container = document.getElementById(settings.paymentFormId || 'payment-form');
    if (!container)
      throw new Error(`ClearentSDK.init: no element with id "${settings.paymentFormId || 'payment-form'}"`);
    reset();
    gatewayOrigin = new URL(settings.baseUrl).origin;
    publicKey = settings.pk;
    ready = new Promise((resolve) => {
      markReady = resolve;
    });
    const source = new URL(FORM_PATH, gatewayOrigin);
    // The form answers only this origin; it is told in the address because it must know before any message.
    source.searchParams.set('parent', window.location.origin);
    frame = document.createElement('iframe');
    frame.src = source.href;
    frame.title = 'Card details';
    // Through the CSSOM, which a page's Content-Security-Policy allows where a style attribute may not be.
    Object.assign(frame.style, { width: '100%', height: '11rem', border: '0' });
    window.addEventListener('message', onMessage);
    container.replaceChildren(frame);
  }

  function getPaymentToken() {
    if (!frame) return Promise.reject(failure('Call ClearentSDK.init first'));
    const target = frame;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      // A form that never loaded, or never answered, must not leave the page waiting for ever.
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(failure('The card form did not answer'));
      }, ANSWER_TIMEOUT_MS);
      const settle = (finish) => (value) => {
        clearTimeout(timer);
        finish(value);
      };
      pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      ready.then(() => {
        if (frame !== target) return;
        target.contentWindow.postMessage(
          { type: 'clearent-get-payment-token', id, pk: publicKey },
          gatewayOrigin,
        );
      });
    });
  }

  window.ClearentSDK = Object.freeze({ init, getPaymentToken, reset });
})();
