import { cookies } from "next/headers";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { authenticate, DEVICE_COOKIE, DEVICE_MAX_AGE_SECONDS } from "./authenticate";
import { resolveAuthSecret, settings } from "./env";
import { log } from "./ops/log";
import { metrics } from "./ops/metrics";
import { endSession, SESSION_MAX_AGE_SECONDS } from "./sessions";
import { clientAddress } from "./throttle";

/** One cookie's value from a Cookie header. */
function cookieValue(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=") || null;
  }
  return null;
}

/** This browser signed in: it keeps the account's device token (lib/authenticate.ts). */
async function rememberDevice(token: string): Promise<void> {
  (await cookies()).set(DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: settings().publicUrl.startsWith("https:"),
    path: "/",
    maxAge: DEVICE_MAX_AGE_SECONDS,
  });
}

class RefusedSignIn extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

/** The code a throttled sign-in travels with (`throttled-<seconds to wait>`). */
export const THROTTLED_CODE = /^throttled-(\d{1,6})$/;

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});

declare module "next-auth" {
  interface User {
    sessionVersion?: number;
    sessionId?: string;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  // Auth.js builds its callback and redirect addresses from AUTH_URL when it is set, else from
  // the request's own address: behind a balancer, the instance's. ROSTER_URL it is. Set here,
  // where Auth.js reads it next (a value set at start may not survive Next's env handling).
  if (process.env.ROSTER_URL) process.env.AUTH_URL = settings().publicUrl;
  return authConfig();
});

function authConfig(): NextAuthConfig {
  return {
    secret: resolveAuthSecret(),
    trustHost: true,
    logger: {
      // A refused sign-in is an answer, not a server error.
      error(error) {
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        const type = (error as { type?: unknown }).type;
        log().error({ msg: "auth error", type: typeof type === "string" ? type : error.name });
      },
    },
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      Credentials({
        credentials: {
          email: { label: "Email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(raw, request) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) {
            metrics().signInRefusals.inc({ reason: "invalid" });
            throw new RefusedSignIn("invalid");
          }
          const result = await authenticate(await getDb(), {
            ...parsed.data,
            address: clientAddress(request.headers, settings().trustedProxies),
            device: cookieValue(request.headers.get("cookie"), DEVICE_COOKIE),
          });
          if (result.ok) {
            await rememberDevice(result.device);
            return result.user;
          }
          metrics().signInRefusals.inc({ reason: result.code });
          throw new RefusedSignIn(
            result.code === "throttled" ? `throttled-${result.retryAfterSeconds}` : result.code,
          );
        },
      }),
    ],
    events: {
      // Sign-out ends the session on the server: a copy of the cookie stops working too.
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (typeof sid === "string") await endSession(await getDb(), sid);
      },
    },
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = user.sessionVersion ?? 0;
          token.sid = user.sessionId;
        }
        return token;
      },
      session({ session, token }) {
        if (typeof token.uid === "string") session.user.id = token.uid;
        const s = session as { sv?: number; sid?: string };
        s.sv = typeof token.sv === "number" ? token.sv : -1;
        if (typeof token.sid === "string") s.sid = token.sid;
        return session;
      },
    },
  };
}
