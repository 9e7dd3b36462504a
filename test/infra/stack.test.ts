import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { functionNames } from '../../infra/routes';
import { stageNames } from '../../infra/stages';
import { logicalIdOf, type Synthesized, synthesize } from './synth';

describe('Class: PaymentsStack', () => {
  it.each(stageNames.filter((name) => name !== 'dev'))(
    'synthesizes %s into a template CloudFormation schema validation accepts',
    (name) => {
      // Act
      const { stack } = synthesize(name, { validate: true });

      // Assess
      expect(stack.stackName).toBe(`Payments-${name}`);
    },
  );

  describe('bundled for real (dev)', () => {
    let outdir: string;
    let dev: Synthesized;

    beforeAll(() => {
      outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'payments-cdk-'));
      dev = synthesize('dev', { bundle: true, validate: true, outdir });
    });

    afterAll(() => {
      fs.rmSync(outdir, { recursive: true, force: true });
    });

    const bundleOf = (name: (typeof functionNames)[number]): string => {
      const id = logicalIdOf(dev.stack, dev.stack.functions.get(name));
      const key = dev.template.toJSON().Resources[id].Properties.Code.S3Key as string;
      return path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
    };

    it('writes a minified CommonJS bundle with its source map, and the lazy XML reader, stack mapper and zod messages, for every function', () => {
      expect(dev.stack.stackName).toBe('Payments-dev');
      for (const name of functionNames) {
        // Act
        const bundle = bundleOf(name);

        // Assess
        expect(fs.readdirSync(bundle).sort()).toEqual([
          'index.js',
          'index.js.map',
          'stack-mapper.js',
          'xml-reader.js',
          'zod-messages.js',
        ]);
        expect(fs.readFileSync(path.join(bundle, 'stack-mapper.js'), 'utf8')).toContain('stackFormatter');
        expect(fs.readFileSync(path.join(bundle, 'xml-reader.js'), 'utf8')).toContain('parseXmlEnvelope');
        expect(fs.readFileSync(path.join(bundle, 'zod-messages.js'), 'utf8')).toContain('englishMessage');
        const code = fs.readFileSync(path.join(bundle, 'index.js'), 'utf8');
        expect(code).toMatch(/^"use strict";/);
        // CDK passed the alias (infra/bundling.ts `esbuildArgs`): middy's web streams are looked up on use.
        expect(code).not.toContain('require("node:stream/web")');
      }
    });

    it('bundles the AWS SDK instead of requiring the runtime copy', () => {
      // Act
      const bundles = functionNames.map((name) =>
        fs.readFileSync(path.join(bundleOf(name), 'index.js'), 'utf8'),
      );

      const required = new Set(bundles.flatMap((code) => code.match(/require\("@aws-sdk\/[^"]+"\)/g) ?? []));

      // Assess: only the optional CRT signer (SigV4a, loaded in a try/catch) stays outside
      expect([...required]).toEqual(required.size === 0 ? [] : ['require("@aws-sdk/signature-v4-crt")']);
      // The GetItem operation's schema, by its wire name (class names are not kept).
      expect(fs.readFileSync(path.join(bundleOf('authorizer'), 'index.js'), 'utf8')).toContain('"GetItem"');
    });

    it('runs the bundled health handler unchanged under Node, the OpenAPI document bundled in', () => {
      // Prepare
      const entry = path.join(bundleOf('health'), 'index.js');
      const run = (event: string) =>
        `require(${JSON.stringify(entry)}).handler(${event}).then((r) => process.stdout.write(JSON.stringify(r)))`;

      // Act
      const answer = JSON.parse(execFileSync(process.execPath, ['-e', run('')], { encoding: 'utf8' }));
      const document = JSON.parse(
        execFileSync(process.execPath, ['-e', run('{ routeKey: "GET /openapi.json" }')], {
          encoding: 'utf8',
        }),
      );

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(JSON.parse(document.body).openapi).toBe('3.1.1');
    });
  });
});
