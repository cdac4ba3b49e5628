import type { Page } from "@playwright/test";
import { expectAccessible, expectTheme, THEMES, themedPage, VIEWPORTS } from "./axe";
import { expect, pageAs, test, toastWith } from "./fixtures";

/*
 * SCIM tokens on /settings: an admin makes one (shown once), an identity provider's request with
 * it lists users, and once revoked the same request is refused.
 */

function tokenRow(page: Page, name: string) {
  return page
    .getByRole("region", { name: "SCIM tokens" })
    .getByRole("listitem")
    .filter({ hasText: name });
}

async function createToken(page: Page, name: string): Promise<string> {
  const section = page.getByRole("region", { name: "SCIM tokens" });
  await section.getByLabel("Token name").fill(name);
  await section.getByRole("button", { name: "Create token" }).click();
  const field = section.getByLabel("New token");
  await expect(field).toHaveAttribute("readonly", "");
  await expect(field).toHaveValue(/^roster_scim_[A-Za-z0-9_-]{43}$/);
  return field.inputValue();
}

async function revokeToken(page: Page, name: string) {
  await tokenRow(page, name).getByRole("button", { name: "Revoke token" }).click();
  const dialog = page.getByRole("alertdialog", { name: `Revoke the token “${name}”?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(toastWith(page, `Token “${name}” revoked.`)).toBeVisible();
  await expect(tokenRow(page, name)).toContainText("revoked");
  await expect(tokenRow(page, name).getByRole("button", { name: "Revoke token" })).toHaveCount(0);
}

test("an admin creates a SCIM token, an identity provider lists users with it, then it is revoked", async ({
  browser,
  request,
}) => {
  const page = await pageAs(browser, "admin");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "SCIM tokens", level: 2 })).toBeVisible();

  const token = await createToken(page, "Okta (e2e)");
  await page
    .getByRole("region", { name: "SCIM tokens" })
    .getByRole("button", { name: "Copy" })
    .click();
  await expect(toastWith(page, "Token copied.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await expect(tokenRow(page, "Okta (e2e)")).toContainText("Last used never");

  const filter = encodeURIComponent('userName eq "member@roster.test"');
  const lookup = `/scim/v2/Users?filter=${filter}&startIndex=1&count=100`;
  const auth = { authorization: `Bearer ${token}` };
  const found = await request.get(lookup, { headers: auth });
  expect(found.status()).toBe(200);
  expect(found.headers()["content-type"]).toMatch(/^application\/scim\+json/);
  const list = await found.json();
  expect(list.totalResults).toBe(1);
  expect(list.Resources[0]).toMatchObject({ userName: "member@roster.test", active: true });

  const anonymous = await request.get(lookup);
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);

  // Writes from an identity provider (no Origin, no cookies) pass the proxy; a browser's
  // cross-origin write is refused as a SCIM error.
  const created = await request.post("/scim/v2/Users", {
    headers: { ...auth, "content-type": "application/scim+json" },
    data: { userName: "scim.e2e@example.test", name: { givenName: "Scim", familyName: "Person" } },
  });
  expect(created.status()).toBe(201);
  const user = await created.json();
  const deactivated = await request.patch(`/scim/v2/Users/${user.id}`, {
    headers: { ...auth, "content-type": "application/scim+json" },
    data: {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    },
  });
  expect((await deactivated.json()).active).toBe(false);
  const deleted = await request.delete(`/scim/v2/Users/${user.id}`, { headers: auth });
  expect(deleted.status()).toBe(204);
  expect((await request.get(`/scim/v2/Users/${user.id}`, { headers: auth })).status()).toBe(404);
  const forged = await request.post("/scim/v2/Users", {
    headers: { ...auth, origin: "https://evil.example", "content-type": "application/scim+json" },
    data: { userName: "forged@example.test" },
  });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).status).toBe("403");

  // The token shows once: after a reload only its row is left, with its last use.
  await page.reload();
  await expect(page.getByLabel("New token")).toHaveCount(0);
  await expect(tokenRow(page, "Okta (e2e)")).not.toContainText("Last used never");

  await revokeToken(page, "Okta (e2e)");
  const refused = await request.get(lookup, { headers: auth });
  expect(refused.status()).toBe(401);

  await page.goto("/audit?action=create-scim-token");
  await expect(page.getByRole("cell", { name: "Create SCIM token" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "SCIM token “Okta (e2e)”" }).first()).toBeVisible();
  await page.context().close();
});

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test(`SCIM tokens at ${viewport.name}, ${theme}: axe finds nothing, the keyboard makes and revokes a token`, async ({
      browser,
    }) => {
      const page = await themedPage(browser, theme, "owner", viewport);
      await page.goto("/settings#scim");
      await expectTheme(page, theme);
      const name = `Axe ${viewport.width} ${theme}`;
      const section = page.getByRole("region", { name: "SCIM tokens" });
      await section.getByLabel("Token name").fill(name);
      await page.keyboard.press("Enter");
      await expect(section.getByLabel("New token")).toBeVisible();
      await expectAccessible(page, `SCIM tokens with a new token at ${viewport.name}, ${theme}`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);

      await tokenRow(page, name).getByRole("button", { name: "Revoke token" }).focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("alertdialog", { name: `Revoke the token “${name}”?` });
      await expect(dialog).toBeVisible();
      await expectAccessible(page, `the revoke dialog at ${viewport.name}, ${theme}`);
      // Escape cancels; nothing is revoked.
      await page.keyboard.press("Escape");
      await expect(dialog).toHaveCount(0);
      await expect(
        tokenRow(page, name).getByRole("button", { name: "Revoke token" }),
      ).toBeFocused();
      await revokeToken(page, name);
      await page.context().close();
    });
  }
}
