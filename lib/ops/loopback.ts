/**
 * Where this server answers on this machine: the origin `next start` and the standalone server
 * record once listening (localhost when bound to every interface), with 127.0.0.1 for localhost,
 * a name that may resolve to ::1 first. Null when not known (not under Next's server). No
 * imports: next.config.ts reads it too.
 */
export function loopbackOrigin(env: NodeJS.ProcessEnv = process.env): string | null {
  const origin = env.__NEXT_PRIVATE_ORIGIN ?? (env.PORT ? `http://localhost:${env.PORT}` : null);
  if (!origin) return null;
  const url = new URL(origin);
  if (url.hostname === "localhost") url.hostname = "127.0.0.1";
  return url.origin;
}
