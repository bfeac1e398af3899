# Coproduce in a container: Node 24, production dependencies only, a non-root user, and a health
# check on /healthz. No container registry is reachable where this project is developed, so this
# file is not built in CI: it is kept conventional on purpose (docs/deployment.md).

# Dependencies, installed once from the lock file.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The runtime: the code (TypeScript run by Node itself, no build step) and those dependencies.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY src ./src
COPY migrations ./migrations
COPY locales ./locales
COPY scripts/create-user.ts ./scripts/create-user.ts
RUN mkdir -p /data/media && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM drains requests in flight before exit (src/plugins/drain.ts).
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=16", "src/server.js"]
