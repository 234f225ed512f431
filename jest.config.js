// jest runs the TypeScript tests in test/ straight from the sources (tests import
// from '../lib'); ts-jest type-checks them with tsconfig.test.json.
/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json', 'node'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: true }],
  },
  testTimeout: 60000,
};
