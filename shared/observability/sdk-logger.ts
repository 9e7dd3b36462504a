/**
 * The logger every AWS SDK client of the functions is given: the SDK's warnings and errors (a socket
 * pool at capacity, a request timeout, a deserialization hint) go to our structured, scrubbed log, but
 * for the record of each failed command, whose error our code gets anyway
 * (./logger.ts connects itself when it loads); its debug and info (each request's input and output) go
 * nowhere. Without it a client has the SDK's `NoOpLogger`, which the SDK recognizes by its class name to
 * write warnings to `console` instead, a name the minified bundles do not keep (infra/bundling.ts): those
 * warnings would be lost.
 *
 * This module does not import the logger, so that code which only makes a client (the local runtime's
 * seeding, a store) does not build the functions' logger before their environment is set.
 */
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

type SdkLogger = NonNullable<DynamoDBClientConfig['logger']>;
type Sink = (level: 'warn' | 'error', message: string) => void;

/** Until the functions' logger connects, the SDK's own default: the console. */
let sink: Sink = (level, message) => console[level](message);

/** Where the SDK's warnings and errors go from now on. */
export function sendSdkLogsTo(target: Sink): void {
  sink = target;
}

const ignore = () => {};
const text = (content: unknown[]) => `AWS SDK: ${content.map(String).join(' ')}`;

/**
 * The record the SDK's logger middleware writes for every command that failed (`{ clientName,
 * commandName, input, error, metadata }`): the same error is thrown to our code, which maps it and logs
 * what matters (a failed conditional write is how idempotency and the state machines say "taken"), and
 * its `input` holds the table's items. Written, it would be an ERROR line reading "[object Object]".
 */
const isCommandRecord = (content: unknown[]) =>
  typeof content[0] === 'object' && content[0] !== null && 'commandName' in content[0];

export const sdkLogger: SdkLogger = {
  trace: ignore,
  debug: ignore,
  info: ignore,
  warn: (...content: unknown[]) => sink('warn', text(content)),
  error: (...content: unknown[]) => {
    if (!isCommandRecord(content)) sink('error', text(content));
  },
};
