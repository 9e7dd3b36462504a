/**
 * The XML reader as deployed: bundled apart from the function (infra/bundling.ts `lazyBundles`), not
 * in its `index.js`, and loaded from beside it on the first XML answer.
 */
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptionsOf } from '../../bench/cdk-esbuild';
import { bundlingOptions, lazyBundleCommand, lazyBundles } from '../../infra/bundling';
import { xmlApproval } from '../shared/clearent/fixtures';

const projectRoot = join(__dirname, '..', '..');

describe('Lazy bundles: the XML reader', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'lazy-bundles-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('is not in a function that reads Clearent answers, and reads an XML answer from beside it', async () => {
    // A function-like entry: the envelope reader, bundled exactly as the stack bundles functions.
    const entry = join(outdir, 'entry.ts');
    writeFileSync(
      entry,
      `export { parseEnvelope } from '${join(projectRoot, 'shared/clearent/envelope')}';\n`,
    );
    const options = esbuildOptionsOf(bundlingOptions, entry, join(outdir, 'fn'), projectRoot);
    await build({ ...options, logLevel: 'silent' });
    for (const lazy of lazyBundles) execSync(lazyBundleCommand(projectRoot, join(outdir, 'fn'), lazy));

    // A message of fast-xml-parser's own, which minification keeps.
    const parserText = 'Closing Tag is not closed';
    expect(readFileSync(options.outfile, 'utf8')).not.toContain(parserText);
    expect(readFileSync(join(outdir, 'fn', 'xml-reader.js'), 'utf8')).toContain(parserText);

    const script = `const { parseEnvelope } = require(${JSON.stringify(options.outfile)});
      const envelope = parseEnvelope({ status: 200, contentType: 'application/xml', body: ${JSON.stringify(xmlApproval)} });
      process.stdout.write(JSON.stringify(envelope.payload.transaction));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual([
      expect.objectContaining({ result: 'APPROVED', amount: '15.55' }),
    ]);
  });
});
