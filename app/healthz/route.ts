/** GET /healthz: the process is up and serving (no database call, no session). */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return new Response("ok\n", {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
