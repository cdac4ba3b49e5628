import { SIGN_IN_MESSAGES } from "../lib/sign-in-messages";
import { DEMO_PASSWORD, expect, openUsers, pageAs, signIn, signInAlert, test } from "./fixtures";

/*
 * Sessions end on the server. Acts on nobody's status: only sessions of the manager, support
 * and member accounts end here.
 */

test("sign-out ends the session on the server: a cookie copied before stops working", async ({
  browser,
}) => {
  const page = await pageAs(browser, "manager");
  const copied = await page.context().cookies();
  const live = await page.request.get("/api/auth/session");
  expect((await live.json())?.user?.email).toBe("manager@roster.test");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL("**/sign-in");
  const replay = await browser.newContext();
  await replay.addCookies(copied);
  const again = await replay.newPage();
  const response = await again.goto("/users");
  await expect(again).toHaveURL(/\/sign-in\?reason=ended/);
  expect(response?.status()).toBe(200);
  await expect(signInAlert(again)).toHaveText(SIGN_IN_MESSAGES.ended);
  // Auth.js's session endpoint answers like a signed-out request: no name, no email.
  const ended = await replay.request.get("/api/auth/session");
  expect(ended.status()).toBe(200);
  expect(await ended.json()).toBeNull();
  await replay.close();
  await page.context().close();
});

test("sign out everywhere ends every session of one's own", async ({ browser }) => {
  const laptop = await pageAs(browser, "support");
  const phone = await pageAs(browser, "support");
  await laptop.getByRole("button", { name: /Sam Support/ }).click();
  await laptop.getByRole("menuitem", { name: "Sign out everywhere" }).click();
  await laptop.waitForURL("**/sign-in");
  await phone.goto("/users");
  await expect(phone).toHaveURL(/\/sign-in\?reason=ended/);
  await laptop.context().close();
  await phone.context().close();
});

test("an admin ends a user's sessions from the user's page; audited", async ({ browser }) => {
  const member = await pageAs(browser, "member");
  const admin = await pageAs(browser, "admin");
  await openUsers(admin, "active", "Mel Member");
  await admin.getByRole("link", { name: "Mel Member", exact: true }).click();
  await admin.getByRole("button", { name: "End sessions" }).click();
  const dialog = admin.getByRole("alertdialog", { name: "End Mel Member's sessions?" });
  await dialog.getByRole("button", { name: "End sessions" }).click();
  await expect(admin.locator("[data-sonner-toast]")).toContainText(
    "Mel Member is signed out everywhere.",
  );
  await member.goto("/users");
  await expect(member).toHaveURL(/\/sign-in\?reason=ended/);
  await admin.goto("/audit?action=end-sessions");
  await expect(admin.getByRole("cell", { name: "End sessions" }).first()).toBeVisible();
  await member.context().close();
  await admin.context().close();
});

test("pages a role may not see answer 403 with the no-access page", async ({ browser }) => {
  const member = await pageAs(browser, "member");
  const admin = await pageAs(browser, "admin");
  await openUsers(admin, "active", "Olivia Owner");
  const href = await admin
    .getByRole("link", { name: "Olivia Owner", exact: true })
    .getAttribute("href");
  expect(href).toMatch(/^\/users\/[0-9a-f-]{36}$/);
  for (const path of ["/users", "/audit", "/mailbox", "/jobs", href as string]) {
    const response = await member.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(
      member.getByRole("heading", { name: "You don't have access to the admin console" }),
    ).toBeVisible();
    await expect(member).not.toHaveTitle(/Olivia/);
  }
  const manager = await pageAs(browser, "manager");
  expect((await manager.goto("/mailbox"))?.status()).toBe(403);
  expect((await manager.goto("/audit"))?.status()).toBe(200);
  await member.context().close();
  await admin.context().close();
  await manager.context().close();
});

test("guessing a password is throttled: the form says how long, the API answers 429", async ({
  page,
  request,
}) => {
  // An account that doesn't exist: the answer is the same as for one that does.
  const email = "throttle-e2e@roster.test";
  for (let i = 0; i < 5; i++) {
    await signIn(page, email, `guess-${i}`);
    await expect(signInAlert(page)).toHaveText(SIGN_IN_MESSAGES.invalid);
  }
  await signIn(page, email, DEMO_PASSWORD);
  await expect(signInAlert(page)).toHaveText("Too many attempts. Try again in 1 minute.");

  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as {
    csrfToken: string;
  };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { email, password: "one-more-guess", csrfToken, callbackUrl: "/users" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(429);
  expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
});
