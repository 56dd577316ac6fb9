# One image for the server nodes and the notifier (docker-compose.yml and deploy/k8s pick the
# command). Built once: TypeScript is compiled to JavaScript in the build stage
# (scripts/lib/build-server.mjs, the same script server/test/production-build.test.ts runs), and
# the runtime stage has no TypeScript compiler or loader: `node server/dist/bin/main.js`.

# --- build: all dependencies, the pages, the compiled server ------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY admin-desktop/package.json admin-desktop/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web && npm run build:admin
RUN node scripts/lib/build-server.mjs server/dist
# Only what runs: production dependencies.
RUN npm prune --omit=dev --no-audit --no-fund

# --- runtime: node, tini, the compiled files, production node_modules, non-root ----------------
FROM node:20-bookworm-slim AS runtime
# tini as PID 1: signals reach node (SIGTERM starts the drain), zombies are reaped.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/server/package.json ./server/
# Packages npm could not hoist (other versions than the root's) live under server/node_modules.
COPY --from=build --chown=root:root /app/server/node_modules ./server/node_modules
COPY --from=build --chown=root:root /app/server/dist ./server/dist
COPY --from=build --chown=root:root /app/web/dist ./web/dist
COPY --from=build --chown=root:root /app/admin-desktop/dist/renderer ./admin-desktop/dist/renderer
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "server/dist/bin/main.js"]
