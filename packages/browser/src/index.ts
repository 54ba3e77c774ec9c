/**
 * LiveDrop for browsers. Re-exports everything in `@livedrop/core`, so a storefront installs one
 * package; browser transports and storage join it here.
 *
 * @module
 */
export * from '@livedrop/core';
