import { SIGN_IN_MESSAGES } from "../lib/sign-in-messages";
import { DEMO_PASSWORD, expect, signIn, signInAlert, test } from "./fixtures";

/*
 * Acts on Xavier Bauer (active, xavier.bauer.52@): someone guesses his password from made-up
 * addresses and he still signs in. The server trusts one proxy (playwright.config.ts), so the
 * X-Forwarded-For each context sends is its address.
 */
const EMAIL = "xavier.bauer.52@roster.test";
const DEVICE_COOKIE = "roster-device";
const GUESSERS = ["203.0.113.1", "203.0.113.2", "203.0.113.3"];

test("guesses from other addresses lock out neither the owner's browser nor the owner at his own address", async ({
  browser,
  request,
}) => {
  // Five browsers and 22 sign-ins (each an scrypt check): more than the default on 2 busy cores.
  test.setTimeout(180_000);
  // His own browser signs in once (it keeps a device cookie), then he signs out.
  const own = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "192.0.2.10" } });
  const ownPage = await own.newPage();
  await signIn(ownPage, EMAIL);
  await ownPage.waitForURL("**/users");
  expect((await own.cookies()).map((c) => c.name)).toContain(DEVICE_COOKIE);
  await ownPage.getByRole("button", { name: "Sign out", exact: true }).click();
  await ownPage.waitForURL("**/sign-in");

  // Someone guesses from three addresses until each is refused.
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as {
    csrfToken: string;
  };
  const guess = (address: string, password: string) =>
    request.post("/api/auth/callback/credentials", {
      form: { email: EMAIL, password, csrfToken, callbackUrl: "/users" },
      headers: { "x-forwarded-for": address },
      maxRedirects: 0,
    });
  const statuses: number[] = [];
  for (const address of GUESSERS) {
    for (let i = 0; i < 7; i++) statuses.push((await guess(address, `guess-${i}`)).status());
  }
  // 5 wrong passwords evaluated per address, then 429.
  expect(statuses.filter((s) => s === 429)).toHaveLength(GUESSERS.length * 2);
  expect(statuses.filter((s) => s === 302)).toHaveLength(GUESSERS.length * 5);
  // From a guesser's address even the right password is turned away, by the API…
  const right = await guess("203.0.113.1", DEMO_PASSWORD);
  expect(right.status()).toBe(429);
  // …and by the form in a browser there.
  const there = await browser.newContext({
    extraHTTPHeaders: { "x-forwarded-for": "203.0.113.2" },
  });
  const therePage = await there.newPage();
  await signIn(therePage, EMAIL);
  await expect(signInAlert(therePage)).toHaveText("Too many attempts. Try again in 1 minute.");
  await there.close();

  // A browser of his that never signed in before, at his own address: in with the form.
  const fresh = await browser.newContext({
    extraHTTPHeaders: { "x-forwarded-for": "192.0.2.20" },
  });
  const freshPage = await fresh.newPage();
  await signIn(freshPage, EMAIL);
  await freshPage.waitForURL("**/users");
  await fresh.close();

  // His own browser, even at a guesser's address: a wrong password is counted for it alone…
  await own.setExtraHTTPHeaders({ "x-forwarded-for": "203.0.113.3" });
  await signIn(ownPage, EMAIL, "not-his-password");
  await expect(signInAlert(ownPage)).toHaveText(SIGN_IN_MESSAGES.invalid);
  // …and the right one signs him in.
  await signIn(ownPage, EMAIL);
  await ownPage.waitForURL("**/users");
  await own.close();
});
