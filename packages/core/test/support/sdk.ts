/** The SDK surface the tests use: exactly what users import. */
export * from '@livedrop/core';
