import { describe, expect, it } from "vitest";
import {
  DEACTIVATED_MESSAGE,
  SIGN_IN_MESSAGES,
  signInMessage,
  signInRefusalCode,
} from "./sign-in-messages";

describe("sign-in refusals, from the status registry", () => {
  it("refuses every status but active, with its message", () => {
    expect(signInRefusalCode("active")).toBeNull();
    expect(signInMessage(signInRefusalCode("inactive"))).toBe(DEACTIVATED_MESSAGE);
    expect(signInMessage(signInRefusalCode("archived"))).toBe(DEACTIVATED_MESSAGE);
    expect(signInMessage(signInRefusalCode("pending"))).toBe(SIGN_IN_MESSAGES.pending);
    expect(signInMessage(signInRefusalCode("rejected"))).toBe(SIGN_IN_MESSAGES.rejected);
    expect(signInMessage(signInRefusalCode("invited"))).toBe(SIGN_IN_MESSAGES.invited);
  });

  it("says until when, when the status ends by itself", () => {
    const code = signInRefusalCode("inactive", { until: new Date("2027-01-12T09:30:41Z") });
    expect(code).toBe("deactivated-until-2027-01-12T09:30Z");
    expect(signInMessage(code)).toBe(
      "Your account has been deactivated until Jan 12, 2027, 9:30 AM UTC. Contact your workspace admin.",
    );
  });

  it("reads nothing into a code it doesn't know", () => {
    for (const code of [
      "deactivated-until-2027-13-45T99:99Z",
      "nope-until-2027-01-12T09:30Z",
      "toString",
      "__proto__",
    ]) {
      expect(signInMessage(code)).toBeNull();
    }
  });
});
