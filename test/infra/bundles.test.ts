/**
 * What each Lambda bundle is made of, from esbuild's metafile of the build the CDK stack runs
 * (infra/bundling.ts, translated by bench/cdk-esbuild.ts): no infrastructure code rides along. The CDK
 * libraries would be megabytes of code no handler runs, and `externalModules: []` means nothing imported
 * is left out of a bundle, so one stray import from `infra/` would ship them.
 */
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptionsOf } from '../../bench/cdk-esbuild';
import { bundlingOptions } from '../../infra/bundling';
import { type FunctionName, functionNames } from '../../infra/routes';

const projectRoot = path.resolve(__dirname, '..', '..');

/** The input files of one function's bundle, relative to the project. */
async function inputsOf(name: FunctionName): Promise<string[]> {
  const options = esbuildOptionsOf(
    bundlingOptions,
    path.join('functions', name, 'handler.ts'),
    path.join(projectRoot, 'cdk.out', 'bundle-test', name),
    projectRoot,
  );
  // What goes in does not depend on minifying or mapping: skip both, they are most of the build's time.
  const { metafile } = (await build({
    ...options,
    minify: false,
    sourcemap: false,
    metafile: true,
    write: false,
    logLevel: 'silent',
  })) as {
    metafile: Metafile;
  };
  return Object.keys(metafile.inputs);
}

describe('The Lambda bundles', () => {
  let inputs: Map<FunctionName, string[]>;

  beforeAll(async () => {
    inputs = new Map();
    for (const name of functionNames) inputs.set(name, await inputsOf(name));
  }, 120_000);

  it('leave nothing external', () => {
    expect(bundlingOptions.externalModules).toEqual([]);
  });

  it.each(functionNames)('%s: holds neither aws-cdk-lib, constructs, nor any file of infra/', (name) => {
    // Act
    const files = inputs.get(name) ?? [];

    // Assess
    expect(files.length).toBeGreaterThan(0);
    expect(files.some((file) => file.startsWith(`functions/${name}/`))).toBe(true);
    expect(files.filter((file) => /node_modules\/(aws-cdk-lib|constructs|aws-cdk)\//.test(file))).toEqual([]);
    expect(files.filter((file) => file.startsWith('infra/'))).toEqual([]);
  });
});
