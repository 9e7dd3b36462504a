/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 30000,
  // Jest's default is one worker per core less one: a single worker on the 2-core machines this runs on,
  // though most suites wait on child processes and sockets. Two workers: 267 s → 158 s, same results.
  maxWorkers: 2,
};
