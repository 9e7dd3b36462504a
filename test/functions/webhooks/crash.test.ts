/**
 * "A crash may delay an event, never lose it": the change is written with its event, and whatever
 * publishes it later (the stream, the scheduled sweep) delivers it. In its own file: a test file
 * starts one API (the handlers' clients are module singletons).
 */
import { startTestEndpoint } from '../../support/webhook-endpoint';
import { startApi } from '../support/api';

describe('Webhooks after a crash between the change and its delivery', () => {
  it('delivers what a process that died after writing the change never published', async () => {
    // No sweeps after requests: as if every process that made a change died before publishing it.
    const api = await startApi();
    const endpoint = await startTestEndpoint();
    try {
      const created = await api.post('/v1/webhook-endpoints', { url: endpoint.url });
      endpoint.trust(created.json<{ secret: string }>().secret);
      const { sale, cardId } = await api.saveCard();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(endpoint.received).toEqual([]);

      // The next sweep (the stream, or the scheduled one) finds the changes in their outboxes.
      await api.runtime.webhooks.settle();

      const types = endpoint
        .events()
        .map((e) => `${e.type} ${e.data.object.id}`)
        .sort();
      expect(types).toEqual([`card.saved ${cardId}`, `sale.approved ${sale.id}`]);
    } finally {
      await endpoint.close();
      await api.close();
    }
  });
});
