// Jest runs the TypeScript sources as native ES modules (package.json "type": "module";
// ESM throughout, so an ESM-only dependency such as @kubernetes/client-node 2.x loads as is). ts-jest transpiles each file on its own
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
