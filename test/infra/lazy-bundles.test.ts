/**
 * What a bundle leaves for later, as deployed (infra/bundling.ts): the XML reader and zod's English
 * messages, bundled apart from the function (`lazyBundles`), not in its `index.js`, and loaded from beside
 * it on the first XML answer and the first value refused; and Node's web streams, which middy imports but
 * no function uses, not loaded by the import.
 */
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptionsOf } from '../../bench/cdk-esbuild';
import { bundlingOptions, lazyBundleCommand, lazyBundles } from '../../infra/bundling';
import { xmlApproval } from '../shared/clearent/fixtures';

const projectRoot = join(__dirname, '..', '..');

/**
 * Bundles `source` (a function-like entry) into `outdir/fn` exactly as the stack bundles functions, the
 * lazy files beside it; returns the bundle's path.
 */
async function bundleLikeAFunction(outdir: string, source: string): Promise<string> {
  const entry = join(outdir, 'entry.ts');
  writeFileSync(entry, source);
  const options = esbuildOptionsOf(bundlingOptions, entry, join(outdir, 'fn'), projectRoot);
  await build({ ...options, logLevel: 'silent' });
  for (const lazy of lazyBundles) execSync(lazyBundleCommand(projectRoot, join(outdir, 'fn'), lazy));
  return options.outfile;
}

describe('Lazy bundles: the XML reader', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'lazy-bundles-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('is not in a function that reads Clearent answers, and reads an XML answer from beside it', async () => {
    // A function-like entry: the envelope reader.
    const outfile = await bundleLikeAFunction(
      outdir,
      `export { parseEnvelope } from '${join(projectRoot, 'shared/clearent/envelope')}';\n`,
    );

    // A message of fast-xml-parser's own, which minification keeps.
    const parserText = 'Closing Tag is not closed';
    expect(readFileSync(outfile, 'utf8')).not.toContain(parserText);
    expect(readFileSync(join(outdir, 'fn', 'xml-reader.js'), 'utf8')).toContain(parserText);

    const script = `const { parseEnvelope } = require(${JSON.stringify(outfile)});
      const envelope = parseEnvelope({ status: 200, contentType: 'application/xml', body: ${JSON.stringify(xmlApproval)} });
      process.stdout.write(JSON.stringify(envelope.payload.transaction));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual([
      expect.objectContaining({ result: 'APPROVED', amount: '15.55' }),
    ]);
  });
});

describe("Lazy bundles: zod's English messages", () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'lazy-messages-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('are not in a function that validates, and are read from beside it when a value fails', async () => {
    // A function-like entry: a route's request schema and the 400 it throws.
    const outfile = await bundleLikeAFunction(
      outdir,
      [
        `import { tokenSaleRequestSchema } from '${join(projectRoot, 'shared/http/requests/transaction')}';`,
        `import { parseWith } from '${join(projectRoot, 'shared/http/validation')}';`,
        `export const validate = (body: unknown) => parseWith(tokenSaleRequestSchema(100_000), body);`,
      ].join('\n'),
    );

    // A message of ours that only the messages module writes.
    const messageText = 'Unrecognized key';
    expect(readFileSync(outfile, 'utf8')).not.toContain(messageText);
    expect(readFileSync(join(outdir, 'fn', 'zod-messages.js'), 'utf8')).toContain(messageText);

    const script = `const loaded = () => Object.keys(require.cache).some((name) => name.endsWith('zod-messages.js'));
      const { validate } = require(${JSON.stringify(outfile)});
      const valid = validate({ amount: '1.00', customerId: 'cus_1', cardId: 'card_1' });
      const afterSuccess = loaded();
      let refused;
      try { validate({ amount: '1.00', customerId: 7, cardId: 'card_1' }); } catch (error) { refused = error.message; }
      process.stdout.write(JSON.stringify({ valid, afterSuccess, refused, afterFailure: loaded() }));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      valid: { amount: 100, customerId: 'cus_1', cardId: 'card_1' },
      afterSuccess: false,
      refused: 'customerId: Invalid input: expected string, received number',
      afterFailure: true,
    });
  });
});

describe("Lazy bundles: Node's web streams", () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'lazy-streams-'));
    // So that the entry written here resolves the project's packages.
    symlinkSync(join(projectRoot, 'node_modules'), join(outdir, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("are not loaded by importing a middy handler, which still answers; looked up, they are Node's own", async () => {
    const entry = join(outdir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `import middy from '@middy/core';`,
        `import { ReadableStream } from 'node:stream/web';`,
        `export const handler = middy(async () => ({ statusCode: 200, body: 'ok' }));`,
        `export const readableStream = () => ReadableStream;`,
      ].join('\n'),
    );
    const options = esbuildOptionsOf(bundlingOptions, entry, join(outdir, 'fn'), projectRoot);
    await build({ ...options, logLevel: 'silent' });
    expect(readFileSync(options.outfile, 'utf8')).not.toContain('require("node:stream/web")');

    const script = `const loaded = () => process.moduleLoadList.some((name) => name.includes('webstreams/readablestream'));
      const before = loaded();
      const { handler, readableStream } = require(${JSON.stringify(options.outfile)});
      const afterImport = loaded();
      handler({}, {}).then((answer) => {
        const nodes = readableStream() === require('node:stream/web').ReadableStream;
        process.stdout.write(JSON.stringify({ before, afterImport, answer, nodes }));
      });`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      before: false,
      afterImport: false,
      answer: { statusCode: 200, body: 'ok' },
      // Looked up, the bundle's ReadableStream is Node's own.
      nodes: true,
    });
  });
});
