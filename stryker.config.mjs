// Mutation testing (`npm run mutate`): how well the tests of the domain, the store and the Clearent
// client notice a changed line. Not part of `npm test`: a full run takes far longer than the tests.
// @ts-check
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  // The code whose behaviour the tests must pin down; handlers and infra are thin and covered end to end.
  mutate: [
    'shared/payments/**/*.ts',
    'shared/subscriptions/**/*.ts',
    'shared/store/**/*.ts',
    'shared/clearent/**/*.ts',
  ],
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // The project's config (swc, middy ESM) narrowed to the tests that pin the money core down.
    configFile: 'jest.mutation.config.js',
    // Only the test files that import a mutated file run, instead of the whole suite for every mutant.
    enableFindRelatedTests: true,
  },
  // Each mutant runs only the tests that executed its code in the initial run.
  coverageAnalysis: 'perTest',
  // A two-core machine: one test runner per core.
  concurrency: 2,
  // A mutant's run loads every test file related to its file (in band), which the dry run's timings only
  // estimate; on two cores shared with other work, 5 s of slack (the default) reported slow runs as
  // timeouts and restarted the runner each time. A mutant that really hangs still ends at jest's 30 s.
  timeoutMS: 20000,
  // Mutants only reached while a module loads would need a fresh jest environment and every test each.
  ignoreStatic: true,
  // Re-runs reuse the results of mutants whose code and tests did not change.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['html', 'clear-text', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  // Not needed by any test, and some are large: kept out of Stryker's sandbox copy.
  ignorePatterns: ['/cdk.out', '/.data', '/reports', '/coverage', '/bench/results', '/docs'],
};

export default config;
