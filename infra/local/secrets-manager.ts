/**
 * A local stand-in for AWS Secrets Manager on 127.0.0.1, speaking its wire protocol (awsJson1.1,
 * `X-Amz-Target: secretsmanager.<Operation>`), so the real SDK (the functions' secret reader) and the
 * admin CLI use it unchanged through AWS_ENDPOINT_URL_SECRETS_MANAGER. No emulator exists on npm.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenLocally, RequestBodyTooLargeError, readRequestBody } from './http-server';
import { openSecretStore, type SecretStore } from './secret-store';
import { SecretsManagerError, secretsManagerOperations } from './secrets-manager-operations';

export interface LocalSecretsManagerOptions {
  /** JSON file keeping the secrets (mode 0600); in memory when absent. */
  file?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface LocalSecretsManager {
  /** For AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  readonly endpoint: string;
  close(): Promise<void>;
}

const targetPrefix = 'secretsmanager.';
// A secret is at most 64 KB; the rest is room for the request's other fields.
const maxRequestBytes = 256 * 1024;

/**
 * Starts the stand-in.
 * @example const secrets = await startLocalSecretsManager({ file: '.data/secrets.json' });
 */
export async function startLocalSecretsManager(
  options: LocalSecretsManagerOptions = {},
): Promise<LocalSecretsManager> {
  const store = openSecretStore(options.file);
  const server = createServer((request, response) => {
    answer(store, request).then(
      (reply) => send(response, reply),
      (error: unknown) => send(response, errorReply(error)),
    );
  });
  const endpoint = await listenLocally(server, options.port ?? 0);
  return { endpoint, close: () => closeServer(server) };
}

interface Reply {
  statusCode: number;
  body: Record<string, unknown>;
  errorType?: string;
}

async function answer(store: SecretStore, request: IncomingMessage): Promise<Reply> {
  const target = request.headers['x-amz-target'];
  const operationName =
    typeof target === 'string' && target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : '';
  const operation = request.method === 'POST' ? secretsManagerOperations[operationName] : undefined;
  if (!operation) {
    throw new SecretsManagerError(
      'UnknownOperationException',
      `The local Secrets Manager does not support ${operationName || 'this request'}.`,
    );
  }
  const input = parseInput(await readRequestBody(request, maxRequestBytes));
  return { statusCode: 200, body: operation(store, input) };
}

function parseInput(body: Buffer): Record<string, unknown> {
  try {
    const input: unknown = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
    if (typeof input === 'object' && input !== null && !Array.isArray(input))
      return input as Record<string, unknown>;
  } catch {
    // Answered below, as the real service does.
  }
  throw new SecretsManagerError('SerializationException', 'The request body is not a JSON object.');
}

function errorReply(error: unknown): Reply {
  if (error instanceof SecretsManagerError) {
    return { statusCode: 400, errorType: error.type, body: { __type: error.type, message: error.message } };
  }
  if (error instanceof RequestBodyTooLargeError) {
    return {
      statusCode: 413,
      errorType: 'RequestEntityTooLarge',
      body: { __type: 'RequestEntityTooLarge', message: 'Request body too large.' },
    };
  }
  return {
    statusCode: 500,
    errorType: 'InternalServiceError',
    body: { __type: 'InternalServiceError', message: 'An error occurred on the server side.' },
  };
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.statusCode, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...(reply.errorType ? { 'x-amzn-errortype': reply.errorType } : {}),
  });
  response.end(JSON.stringify(reply.body));
}
