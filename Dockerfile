# One image for the gateway and every subgraph (they run from TypeScript source with tsx).
# docker compose builds it once; each service picks its entry point with `command`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip NODE_ENV=production TURBO_TELEMETRY_DISABLED=1
COPY . .
RUN npm ci --no-audit --no-fund && bash scripts/prisma-generate.sh && npx graphql-codegen --config codegen.yml --silent
USER node
