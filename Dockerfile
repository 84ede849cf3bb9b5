# syntax=docker/dockerfile:1
# Lekha's image: `docker build -t lekha .` (see docs/deploy.md).
#
# Three stages: `build` compiles TypeScript with the dev dependencies, `deps`
# installs the production dependencies alone (hnswlib-node is a native addon
# built here with the toolchain), and `runtime` gets only `dist/`, the
# production node_modules and tini — no compiler, no sources, no secrets.
# Configuration (tokens included) comes from the environment at run time.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# .npmrc keeps onnxruntime-node from downloading its native runtime at install
# time (the default embedder needs none; see MODEL_DIR in docs/deploy.md).
COPY package.json package-lock.json .npmrc ./

FROM toolchain AS build
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
COPY examples ./examples
RUN npm run build

FROM toolchain AS deps
# Production dependencies only (the npm cache stays out of the layer).
# onnxruntime-node ships its native runtime for every OS: only Linux's is
# kept, about 220 MB less.
RUN --mount=type=cache,target=/root/.npm \
  npm ci --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/onnxruntime-node/bin/napi-v*/darwin node_modules/onnxruntime-node/bin/napi-v*/win32

FROM ${NODE_IMAGE} AS runtime
# tini is PID 1: it forwards SIGTERM to Node, which drains as `lekha start`
# does (stops polling, finishes turns, flushes snapshots) and reaps zombies.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /data \
  && chown 1000:1000 /data
ENV NODE_ENV=production \
  HTTP_HOST=0.0.0.0 \
  HTTP_PORT=8080 \
  DATA_DIR=/data
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The official image's `node` user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/src/cli.js"]
CMD ["start"]
