import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db";
import { authenticate } from "./authenticate";
import { resolveAuthSecret } from "./env";
import { endSession, SESSION_MAX_AGE_SECONDS } from "./sessions";
import { clientAddress } from "./throttle";

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

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: resolveAuthSecret(),
  trustHost: true,
  logger: {
    // A refused sign-in is an answer, not a server error.
    error(error) {
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      console.error(error);
    },
  },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new RefusedSignIn("invalid");
        const result = await authenticate(await getDb(), {
          ...parsed.data,
          address: clientAddress(request.headers),
        });
        if (result.ok) return result.user;
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
}));
