/** The security headers of every response, and the CSP with this request's nonce. */

export type PolicyOptions = { nonce: string; dev: boolean; https: boolean };

export function contentSecurityPolicy({ nonce, dev, https }: PolicyOptions): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts Next loads from a nonced script run; nothing else does. React
    // needs eval in development only, for its error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Styles stay open to inline: sonner inserts a <style> and Radix sets style attributes, and
    // neither takes a nonce. CSS can't run code; the script policy is what stops XSS.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** @public */
export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * Headers for every answer. HSTS only when Roster is served over HTTPS: its configured public
 * origin (ROSTER_URL) is https, or the request itself came in over TLS. A forwarded-proto header
 * is not trusted for this: anyone can send one.
 */
export function securityHeaders(options: PolicyOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(options.https ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

/**
 * Headers for a data answer that no page renders (a route the proxy leaves alone, like the CSV
 * upload): the same, with a policy that lets the answer load nothing at all.
 */
export function dataSecurityHeaders(https: boolean): Record<string, string> {
  return {
    ...securityHeaders({ nonce: "", dev: false, https }),
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  };
}

/** Whether responses go out over HTTPS (see securityHeaders). */
export function servedOverHttps(requestUrl: URL, publicUrl: string | undefined): boolean {
  if (publicUrl?.trim().toLowerCase().startsWith("https://")) return true;
  return requestUrl.protocol === "https:";
}
