import { getDb } from "@/lib/db";
import { settings } from "@/lib/env";
import { metricsAccess, renderMetrics } from "@/lib/ops/scrape";

/**
 * GET /metrics: Prometheus text, for a scraper holding `Authorization: Bearer $ROSTER_METRICS_TOKEN`.
 * Without that setting there is no endpoint (404, like any unknown path).
 */
export const dynamic = "force-dynamic";

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...extra },
  });
}

export async function GET(request: Request): Promise<Response> {
  const access = metricsAccess(settings().metricsToken, request.headers.get("authorization"));
  if (access === 404) return plain(404, "Not found.\n");
  if (access === 401) {
    return plain(401, "Unauthorized.\n", { "WWW-Authenticate": 'Bearer realm="metrics"' });
  }
  const { contentType, body } = await renderMetrics(await getDb());
  return new Response(body, {
    headers: { "Content-Type": contentType, "Cache-Control": "no-store" },
  });
}
