/**
 * Stands in for `node:stream/web` in the Lambda bundles (infra/bundling.ts aliases it here). @middy/core
 * imports `ReadableStream` from it at load, for response streaming, which no function of ours uses; the
 * import loads Node's web streams, about 3.5 ms of every cold start (issue 11). Node's global
 * `ReadableStream` is the same class, loaded by Node on first use: this looks it up only when middy does.
 */
Object.defineProperty(exports, 'ReadableStream', {
  enumerable: true,
  get: () => globalThis.ReadableStream,
});
