/**
 * One MongoDB replica set and one Redis per run (global setup); suites isolate themselves by
 * database name and Redis key prefix.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/server',
    '<rootDir>/shared',
    '<rootDir>/test',
    '<rootDir>/scripts',
    '<rootDir>/web',
    '<rootDir>/admin-desktop',
    '<rootDir>/client',
  ],
  testMatch: ['**/test/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  moduleNameMapper: {
    '^@booking/shared$': '<rootDir>/shared/src/index.ts',
    '^@booking/client$': '<rootDir>/client/src/index.ts',
    '^@booking/client/zod-jitless$': '<rootDir>/client/src/zod-jitless.ts',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  // A fresh clone has no timings cached: the longest suites start first (test/support/sequencer.cjs).
  testSequencer: '<rootDir>/test/support/sequencer.cjs',
};
