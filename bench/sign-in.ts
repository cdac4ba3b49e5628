/** Cookie pairs (`name=value`) a response sets. */
function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
}

/**
 * Signs in over HTTP through Auth.js's credentials endpoint, as a browser would (CSRF cookie and
 * token first); returns the Cookie header of the session. Throws when no session is set.
 */
export async function signInOverHttp(base: URL, email: string, password: string): Promise<string> {
  const csrf = await fetch(new URL("/api/auth/csrf", base));
  const jar = cookiesOf(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(new URL("/api/auth/callback/credentials", base), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/users" }),
  });
  const cookie = [...jar, ...cookiesOf(res)].join("; ");
  if (!/session-token=/.test(cookie)) throw new Error(`sign-in failed (${res.status})`);
  return cookie;
}
