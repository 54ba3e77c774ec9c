/**
 * LiveDrop for Node.js. Re-exports everything in `@livedrop/core`, so a Node backend installs one
 * package; Node-specific transports, webhook middleware and key loading join it here.
 *
 * @module
 */
export * from '@livedrop/core';
