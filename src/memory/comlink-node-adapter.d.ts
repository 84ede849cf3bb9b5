// comlink ships the types of its Node adapter as `node-adapter.d.ts`, which
// TypeScript does not pair with the `.mjs` file it describes.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  import type { Worker, MessagePort } from 'node:worker_threads';
  export default function nodeEndpoint(nep: Worker | MessagePort): Endpoint;
}
