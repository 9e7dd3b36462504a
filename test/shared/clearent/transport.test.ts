import {
  createHttpTransport,
  isStaleSocketFailure,
  TransportFailure,
} from '../../../shared/clearent/transport';
import { closedPortUrl, type FakeGateway, type Reply, reply, startFakeGateway } from './fake-gateway';

let gateway: FakeGateway | undefined;

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function transportTo(answer: (index: number) => Reply, pathPrefix = '') {
  gateway = await startFakeGateway((_request, index) => answer(index));
  return { send: createHttpTransport(gateway.baseUrl + pathPrefix, 200), received: gateway.received };
}

const get = {
  method: 'GET' as const,
  path: '/rest/v2/transactions?id=1',
  headers: { accept: 'application/json' },
};

async function failureOf(promise: Promise<unknown>): Promise<TransportFailure> {
  const caught: unknown = await promise.catch((error: unknown) => error);
  if (!(caught instanceof TransportFailure))
    throw new Error(`expected a TransportFailure, got ${String(caught)}`);
  return caught;
}

describe('Function: createHttpTransport', () => {
  it('sends the body with its length and resolves with status, content type and body', async () => {
    // Prepare
    const { send, received } = await transportTo(() => reply(402, '<response/>', 'application/xml'));

    // Act
    const answer = await send({
      method: 'POST',
      path: '/rest/v2/transactions/sale',
      headers: {},
      body: '{"a":"é"}',
    });

    // Assess
    expect(answer).toStrictEqual({ status: 402, contentType: 'application/xml', body: '<response/>' });
    expect(received[0]?.body).toBe('{"a":"é"}');
    expect(received[0]?.headers['content-length']).toBe('10');
  });

  it('keeps a path prefix of the base URL', async () => {
    // Prepare
    const { send, received } = await transportTo(() => reply(200, '{}'), '/clearent/');

    // Act
    await send(get);

    // Assess
    expect(received[0]?.path).toBe('/clearent/rest/v2/transactions?id=1');
  });

  it('reports a refused connection as not sent', async () => {
    // Prepare
    const send = createHttpTransport(await closedPortUrl(), 200);

    // Act
    const failure = await failureOf(send(get));

    // Assess
    expect(failure).toMatchObject({ sent: false, reusedSocket: false, timedOut: false });
    expect(isStaleSocketFailure(failure)).toBe(false);
  });

  it('reports silence as a timeout after the request was sent', async () => {
    // Prepare
    const { send } = await transportTo(() => 'hang');

    // Act
    const failure = await failureOf(send(get));

    // Assess
    expect(failure).toMatchObject({ sent: true, timedOut: true });
  });

  it('reuses the kept-alive socket, and says so when it drops', async () => {
    // Prepare
    const { send } = await transportTo((index) => (index === 0 ? reply(200, '{}') : 'destroy'));
    await send(get);

    // Act
    const failure = await failureOf(send(get));

    // Assess
    expect(failure).toMatchObject({ sent: true, reusedSocket: true, timedOut: false });
    expect(isStaleSocketFailure(failure)).toBe(false);
  });

  it('refuses an answer too large to be a Clearent envelope', async () => {
    // Prepare
    const { send } = await transportTo(() => reply(200, 'x'.repeat(1_100_000)));

    // Act
    const failure = await failureOf(send(get));

    // Assess
    expect(failure).toMatchObject({ sent: true, timedOut: false });
  });
});

describe('Function: isStaleSocketFailure', () => {
  it.each([
    [true, false, false, true],
    [true, true, false, false],
    [false, false, false, false],
    [true, false, true, false],
  ])('reusedSocket %s, sent %s, timedOut %s → %s', (reusedSocket, sent, timedOut, expected) => {
    // Prepare
    const failure = new TransportFailure('connection failed', sent, reusedSocket, timedOut);

    // Act
    const stale = isStaleSocketFailure(failure);

    // Assess
    expect(stale).toBe(expected);
  });
});
