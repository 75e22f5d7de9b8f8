# Rollsafe admission webhook image.
#   docker build -t ghcr.io/rollsafe/rollsafe:0.1.0 .
# The final stage holds the compiled JavaScript (dist/), the production dependencies and
# package.json ("type": "module", the version `rollsafe --version` prints): no TypeScript sources,
# no tsx, no dev dependencies. test/chart/dockerfile.test.ts lints this file and
# test/chart/image-build.test.ts runs the build stage's commands and the compiled server.

# Both stages use the same Node release; bump them together (and pin the digest in CI).
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
# Production dependencies only. tsx is listed in "dependencies" (npm start runs the sources with
# it) but the image never loads it: the entrypoint is the compiled dist/cli/main.js.
RUN npm prune --omit=dev --no-audit --no-fund \
 && npm uninstall --omit=dev --ignore-scripts --no-audit --no-fund tsx

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The base image's `node` user, by number so the kubelet can verify runAsNonRoot.
USER 1000:1000
EXPOSE 8443
# Node is PID 1 and the server installs its own SIGTERM handler, which drains (README "Shutdown");
# it starts no child processes, so no init is needed to reap them.
# --max-semi-space-size=16: a 32 MB young generation, whatever heap Node sizes from the pod's
# memory limit (README "Run the webhook").
ENTRYPOINT ["node", "--max-semi-space-size=16", "dist/cli/main.js", "serve"]
