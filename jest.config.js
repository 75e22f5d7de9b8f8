// Jest runs the TypeScript sources as native ES modules (package.json "type": "module";
// @kubernetes/client-node 2.x is ESM-only). ts-jest transpiles each file on its own
// (isolatedModules in tsconfig); `npm test` runs `tsc --noEmit` first for the type check.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60000,
};
