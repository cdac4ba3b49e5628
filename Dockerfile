# Roster as a container: Next.js's standalone server (next.config.ts: output "standalone"),
# run as an unprivileged user. Not built or run in this repository's CI (no container engine
# there); bench/standalone.ts runs the same server.js directly.
#
#   docker build -t roster .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://roster_web@db/roster \
#     -e AUTH_SECRET=… -e ROSTER_URL=https://roster.example.com roster
#
# Migrations are a separate step with the owner role (README, Production): run
# `npm run db:migrate` from a checkout, or this image's builder stage, before rolling out.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npx next build

FROM node:20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
RUN groupadd --system --gid 1001 roster && useradd --system --uid 1001 --gid roster roster
# The server and the node_modules it traces, then what it serves and reads as files.
COPY --from=build --chown=roster:roster /app/.next/standalone ./
COPY --from=build --chown=roster:roster /app/.next/static ./.next/static
COPY --from=build --chown=roster:roster /app/public ./public
COPY --from=build --chown=roster:roster /app/db/migrations ./db/migrations
USER roster
EXPOSE 3000
# /healthz needs no database; an orchestrator's readiness probe is GET /readyz.
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM drains (README, Production): give it ROSTER_DRAIN_SECONDS + 20 s before a SIGKILL.
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
