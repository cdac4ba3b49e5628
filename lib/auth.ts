import { eq, sql } from "drizzle-orm";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { resolveAuthSecret } from "./env";
import { verifyPassword } from "./password";
import { signInRefusalCode } from "./sign-in-messages";

class RefusedSignIn extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});

declare module "next-auth" {
  interface User {
    sessionVersion?: number;
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
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new RefusedSignIn("invalid");
        const db = await getDb();
        const [user] = await db
          .select()
          .from(users)
          .where(sql`lower(${users.email}) = ${parsed.data.email}`)
          .limit(1);
        // Check the password before saying anything about the account.
        const valid = await verifyPassword(parsed.data.password, user?.passwordHash ?? null);
        if (!user || !valid) throw new RefusedSignIn("invalid");
        const refusal = signInRefusalCode(user.status);
        if (refusal) throw new RefusedSignIn(refusal);
        await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
        return {
          id: user.id,
          name: user.name,
          email: user.email,
          sessionVersion: user.sessionVersion,
        };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      (session as { sv?: number }).sv = typeof token.sv === "number" ? token.sv : -1;
      return session;
    },
  },
}));
