/**
 * A stand-in for the recurring queue, answering SQS's SendMessageBatch (awsJson1.0) on 127.0.0.1 with
 * the MD5 of each body, which the SDK checks. It only counts what it receives: the benchmark measures
 * the selector's sending, and nothing reads the queue.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenLocally, readRequestBody } from '../infra/local/http-server';
import { localAccountId } from '../infra/local/local-aws';

export interface SqsStub {
  /** For AWS_ENDPOINT_URL_SQS. */
  readonly endpoint: string;
  /** For RECURRING_QUEUE_URL. */
  readonly queueUrl: string;
  /** Messages received so far. */
  received(): number;
  close(): Promise<void>;
}

interface BatchEntry {
  Id: string;
  MessageBody: string;
}

// SendMessageBatch takes at most 10 messages of at most 256 KiB each.
const maxRequestBytes = 11 * 256 * 1024;

/** Starts the stub on a free port. */
export async function startSqsStub(): Promise<SqsStub> {
  let received = 0;
  const server = createServer((request, response) => {
    sendMessageBatch(request).then(
      (entries) => {
        received += entries.length;
        const successful = entries.map((entry) => ({
          Id: entry.Id,
          MessageId: randomUUID(),
          MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex'),
        }));
        reply(response, 200, { Successful: successful, Failed: [] });
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        reply(response, 400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message });
      },
    );
  });
  const endpoint = await listenLocally(server, 0);
  return {
    endpoint,
    queueUrl: `${endpoint}/${localAccountId}/payments-bench-recurring`,
    received: () => received,
    close: () => closeServer(server),
  };
}

async function sendMessageBatch(request: IncomingMessage): Promise<BatchEntry[]> {
  if (request.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch') {
    throw new Error(`the stub answers SendMessageBatch only, not ${request.headers['x-amz-target']}`);
  }
  const body = JSON.parse((await readRequestBody(request, maxRequestBytes)).toString('utf8')) as {
    Entries?: BatchEntry[];
  };
  return body.Entries ?? [];
}

function reply(response: ServerResponse, statusCode: number, body: object): void {
  response.writeHead(statusCode, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(body));
}
