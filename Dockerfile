# syntax=docker/dockerfile:1
# Multi-stage: compile TypeScript and the native SQLite module in a full image, run in a slim one
# as the unprivileged "node" user, with the database and uploads in a volume at /data.

FROM node:20-bookworm AS build
WORKDIR /app
# better-sqlite3 12.x compiles from source on Node 20 (python3, make, g++ are in this image).
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY criteria ./criteria
COPY migrations ./migrations
# The console's stylesheet and scripts (src/console/assets.ts reads them from the sources' folder).
COPY src/console/assets ./src/console/assets
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations run at start-up; `docker exec <c> node bin/cds.js create-key --role admin --label …` bootstraps a key.
# V8 heap caps measured by bench/memory.ts (the same flags as npm start; see README "Memory").
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=16", "dist/server.js"]
