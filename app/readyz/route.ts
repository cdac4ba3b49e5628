import { getDb } from "@/lib/db";
import { readiness } from "@/lib/ops/health";

/**
 * GET /readyz: whether a load balancer should send this instance traffic (the database answers,
 * its migrations are current, no SIGTERM received). 503 with the reason otherwise.
 */
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const result = await readiness(getDb);
  return new Response(result.ready ? "ready\n" : `not ready: ${result.reason}\n`, {
    status: result.ready ? 200 : 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
