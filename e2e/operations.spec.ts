import { request as http } from "node:http";
import { expect, test } from "./fixtures";

// Read-only: probes and a refused sign-in change nothing.

/** A raw request, so that the Host header can be one the client chose (fetch won't send one). */
function raw(
  url: URL,
  options: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = http(url, { method: options.method, headers: options.headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

test.describe("operations endpoints", () => {
  test("/healthz and /readyz answer without a session and say nothing of versions", async ({
    request,
  }) => {
    for (const [path, text] of [
      ["/healthz", "ok\n"],
      ["/readyz", "ready\n"],
    ] as const) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.status()).toBe(200);
      expect(await res.text()).toBe(text);
      const headers = res.headers();
      expect(headers["x-powered-by"]).toBeUndefined();
      expect(headers.server).toBeUndefined();
      expect(headers["cache-control"]).toBe("no-store");
    }
  });

  test("/metrics does not exist without ROSTER_METRICS_TOKEN", async ({ request }) => {
    const res = await request.get("/metrics", {
      headers: { authorization: "Bearer anything-at-all-anything-at-all" },
    });
    expect(res.status()).toBe(404);
  });

  test("every response carries a request id; a well-formed one given by a balancer is kept", async ({
    request,
  }) => {
    const fresh = await request.get("/sign-in");
    expect(fresh.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await request.get("/sign-in", { headers: { "x-request-id": "0a1b2c3d-e5f6" } });
    expect(kept.headers()["x-request-id"]).toBe("0a1b2c3d-e5f6");
    const replaced = await request.get("/sign-in", { headers: { "x-request-id": "<script>" } });
    expect(replaced.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("Auth.js redirects to ROSTER_URL, never to the address a request came in on", async ({
    baseURL,
  }) => {
    const base = new URL(baseURL ?? "");
    const res = await raw(new URL("/api/auth/callback/credentials", base), {
      method: "POST",
      headers: {
        host: "instance-7.internal:9999",
        "x-forwarded-host": "instance-7.internal:9999",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "email=nobody%40example.test&password=x&csrfToken=forged",
    });
    expect(res.status).toBe(302);
    const location = new URL(String(res.headers.location ?? ""));
    // ROSTER_URL of the e2e server is its own origin (playwright.config.ts), on loopback, which
    // Next.js spells "localhost" whatever it was given. bench/cluster.ts checks the case where
    // ROSTER_URL (the balancer) and the instance differ.
    expect(location.protocol).toBe(base.protocol);
    expect(location.port).toBe(base.port);
    expect(["localhost", "127.0.0.1"]).toContain(location.hostname);
  });
});
