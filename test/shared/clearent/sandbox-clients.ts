/**
 * The Clearent client wired to an embedded sandbox simulator, for tests that exercise both together.
 * Registers the jest hooks that start, reset and close the simulator.
 */
import { type Sandbox, startSandbox } from '../../../infra/sandbox';
import { createClearentClient } from '../../../shared/clearent/client';
import type { ClearentGateway, JwtSaleRequest } from '../../../shared/clearent/types';
import { parseAmount } from '../../../shared/money';

export interface SandboxClients {
  sandbox: Sandbox;
  client: ClearentGateway;
  /** Short timeout: the `late` fault answers long after it. */
  impatientClient: ClearentGateway;
  /** A JWT sale request with a fresh JWT and a fresh invoice. */
  jwtSale(amount: string, createToken?: boolean): JwtSaleRequest & { invoice: string };
}

/** Call at the top of a describe block; the returned function gives the started clients. */
export function useSandboxClients(): () => SandboxClients {
  let clients: SandboxClients | undefined;
  let invoiceCount = 0;

  beforeAll(async () => {
    const sandbox = await startSandbox();
    clients = {
      sandbox,
      client: createClearentClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, timeoutMs: 5_000 }),
      impatientClient: createClearentClient({
        baseUrl: sandbox.url,
        apiKey: sandbox.apiKey,
        timeoutMs: 1_000,
      }),
      jwtSale: (amount, createToken = false) => {
        invoiceCount += 1;
        return {
          jwt: sandbox.issueJwt(),
          amount: parseAmount(amount),
          createToken,
          invoice: `txn_${invoiceCount}`,
        };
      },
    };
  });
  afterAll(() => clients?.sandbox.close());
  beforeEach(() => clients?.sandbox.reset());

  return () => {
    if (!clients) throw new Error('the sandbox is started in beforeAll');
    return clients;
  };
}

/** The rejection of a promise, or undefined when it resolved. */
export function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
}
