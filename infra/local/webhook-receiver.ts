/**
 * `npm run receiver`: a storefront's webhook endpoint for trying webhooks locally. Listens on
 * 127.0.0.1 (`RECEIVER_PORT`, default 4000), verifies each delivery's signature with the reference
 * Standard Webhooks library and the endpoint's secret (`WEBHOOK_SECRET`, the `whsec_...` shown when the
 * endpoint was created), prints one line per event, and answers 204. `REFUSE_FIRST=n` answers the
 * first n deliveries 500, to watch the retry schedule bring them again.
 */
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

const port = Number(process.env.RECEIVER_PORT ?? 4000);
const secret = process.env.WEBHOOK_SECRET ?? '';
let refuse = Number(process.env.REFUSE_FIRST ?? 0);

if (!secret.startsWith('whsec_')) {
  console.error(
    'Set WEBHOOK_SECRET to the endpoint\'s "whsec_..." secret (the POST /v1/webhook-endpoints answer).',
  );
  process.exit(2);
}
const verifier = new Webhook(secret);

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(
      Object.entries(request.headers).flatMap(([name, value]) =>
        typeof value === 'string' ? [[name, value]] : [],
      ),
    );
    let event: { id: string; type: string; data: { object: { id: string; status?: string } } };
    try {
      event = verifier.verify(body, headers) as typeof event;
    } catch {
      console.log(`✗ ${headers['webhook-id'] ?? '?'}: signature did not verify; answered 400`);
      response.writeHead(400).end();
      return;
    }
    const what = `${event.id} ${event.type} ${event.data.object.id}${event.data.object.status ? ` (${event.data.object.status})` : ''}`;
    if (refuse > 0) {
      refuse -= 1;
      console.log(`… ${what}: verified, answered 500 on purpose (it will come again)`);
      response.writeHead(500).end();
      return;
    }
    console.log(`✓ ${what}`);
    response.writeHead(204).end();
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`receiving webhooks on http://127.0.0.1:${port}/hooks (Ctrl-C stops)`);
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
