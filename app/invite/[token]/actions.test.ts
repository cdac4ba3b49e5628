import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { ADDRESS_RULE, GUESS_RULE, PEER_HEADER } from "@/lib/throttle";
import { INVITATION_MESSAGES } from "@/lib/users/invitations";
import { acceptInvitationAction } from "./actions";

const h = vi.hoisted(() => ({ db: null as Db | null, address: "192.0.2.1" }));
vi.mock("@/lib/db", () => ({
  getDb: async () => {
    if (!h.db) throw new Error("no database");
    return h.db;
  },
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ [PEER_HEADER]: h.address }),
}));

const EMPTY = { error: null, fieldErrors: {} };
const TOO_MANY = /^Too many attempts\. Try again in \d+ minutes?\.$/;

function form(token: string): FormData {
  const f = new FormData();
  f.set("token", token);
  f.set("password", "a-new-password");
  f.set("confirm", "a-new-password");
  return f;
}
const guess = () => randomBytes(32).toString("base64url");

describe.each(TEST_DRIVERS)("invitation acceptance throttling on %s", (driver) => {
  const t = useTestDatabase(driver);
  beforeEach(() => {
    h.db = t.db;
  });

  it("guessing links from one address: the address's free failures, then a wait", async () => {
    h.address = "198.51.100.77";
    const answers = [];
    for (let i = 0; i < ADDRESS_RULE.free + 10; i++) {
      answers.push((await acceptInvitationAction(EMPTY, form(guess()))).error);
    }
    expect(answers.filter((a) => a === INVITATION_MESSAGES.unknown)).toHaveLength(
      ADDRESS_RULE.free,
    );
    expect(answers.filter((a) => a && TOO_MANY.test(a))).toHaveLength(10);
  });

  it("one link tried again and again, from many addresses: the invitation's free failures", async () => {
    const token = guess();
    const answers = [];
    for (let i = 0; i < GUESS_RULE.free + 5; i++) {
      h.address = `203.0.113.${i + 1}`;
      answers.push((await acceptInvitationAction(EMPTY, form(token))).error);
    }
    expect(answers.filter((a) => a === INVITATION_MESSAGES.unknown)).toHaveLength(GUESS_RULE.free);
    expect(answers.filter((a) => a && TOO_MANY.test(a))).toHaveLength(5);
  });

  it("a payload that is not a form is refused calmly", async () => {
    expect((await acceptInvitationAction(EMPTY, "x" as unknown as FormData)).error).toBeTruthy();
  });
});
