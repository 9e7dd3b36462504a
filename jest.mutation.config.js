/**
 * The jest configuration of `npm run mutate`: the unit, domain and store tests (test/shared) that pin the
 * money core down, on the embedded dynalite only (a JVM start per mutant would dominate the run). The
 * end-to-end suites and the model test run in `npm test` and `npm run soak`. The roots stay the whole
 * project, so that jest can tell which tests depend on a mutated file.
 */
process.env.TEST_STORE_ENGINES = 'dynalite';
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/shared', '<rootDir>/test'],
  testMatch: ['<rootDir>/test/shared/**/*.test.ts'],
};
