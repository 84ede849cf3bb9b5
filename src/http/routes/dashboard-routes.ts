import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** Where the dashboard's files are: next to this module (`npm run build` copies them into dist). */
export const dashboardDir = fileURLToPath(new URL('../dashboard/', import.meta.url));

/** uPlot's files, served from the installed package: the dashboard loads nothing from a CDN. */
const uplotDir = path.join(path.dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

/** The dashboard page at `/` and the chart library it loads. */
export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, { root: dashboardDir, prefix: '/', index: 'index.html' });
  // Browsers ask for it whatever the page says; an empty answer beats a logged 404.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.status(204).send());
  await app.register(fastifyStatic, {
    root: uplotDir,
    prefix: '/vendor/uplot/',
    decorateReply: false,
    allowedPath: (pathName) => pathName === '/uPlot.esm.js' || pathName === '/uPlot.min.css',
  });
};
