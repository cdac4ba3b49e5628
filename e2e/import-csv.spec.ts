import type { Page } from "@playwright/test";
import { expectAccessible, expectTheme, THEMES, themedPage, VIEWPORTS } from "./axe";
import { expect, openUsers, pageAs, tabCount, test, toastWith, userRow } from "./fixtures";

/*
 * Import CSV (issue 16 §2). Adds three invited users (three seats) to the demo workspace;
 * member@roster.test is only read (already a user: skipped).
 */
const PEOPLE = [
  { name: "Iris Importer", email: "iris.importer@example.test" },
  { name: "=HYPERLINK(1)", email: "formula.importer@example.test" },
  { name: "Ike Importer", email: "ike.importer@example.test" },
];

function csv(lines: string[]) {
  return { name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\r\n")) };
}

async function openImport(page: Page) {
  await page.getByRole("button", { name: "Import CSV" }).click();
  return page.getByRole("dialog", { name: "Import CSV" });
}

test("an admin imports a file with two bad rows, reads the errors, fixes it and imports", async ({
  adminPage: page,
}) => {
  // Two previews, an import and two page loads: over a minute on a loaded 2-core machine.
  test.setTimeout(180_000);
  await openUsers(page, "active");
  const before = await tabCount(page, "active");
  const dialog = await openImport(page);
  const [iris, formula, ike] = PEOPLE as [
    (typeof PEOPLE)[0],
    (typeof PEOPLE)[0],
    (typeof PEOPLE)[0],
  ];
  const header = "\uFEFFEmail;Name;Role;Status";
  await dialog
    .getByLabel("CSV file")
    .setInputFiles(
      csv([
        header,
        `${iris.email};${iris.name};member;invited`,
        `${formula.email.replace("@", " at ")};"${formula.name}";member;`,
        `${ike.email};${ike.name};owner;`,
        "member@roster.test;Known Member;member;",
      ]),
    );
  const errors = dialog.getByRole("list", { name: "Errors" }).getByRole("listitem");
  await expect(errors).toHaveText([
    /^Line 3, email: Not a valid email address\./,
    /^Line 4, role: Owner is not below your own role\./,
  ]);
  await expect(dialog.getByRole("list", { name: "Skipped" })).toContainText(
    "Line 5: member@roster.test: Already a user, on the Active tab.",
  );
  await expect(dialog).toContainText(
    "1 person will be created (1 invited, 0 pending); 2 rows with errors",
  );

  // Fixed in the file, chosen again: a new preview of the new file.
  await dialog
    .getByLabel("CSV file")
    .setInputFiles(
      csv([
        header,
        `${iris.email};${iris.name};member;invited`,
        `${formula.email};"${formula.name}";member;`,
        `${ike.email};${ike.name};Support;`,
        "member@roster.test;Known Member;member;",
      ]),
    );
  await expect(
    dialog.getByRole("list", { name: "Will be created" }).getByRole("listitem"),
  ).toHaveText([
    `${iris.name} ${iris.email} (member, invited)`,
    `${formula.name} ${formula.email} (member, invited)`,
    `${ike.name} ${ike.email} (support, invited)`,
  ]);
  await expect(dialog.getByRole("list", { name: "Errors" })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await expect(toastWith(page, "Imported 3 people; 1 row not imported.")).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect.poll(() => tabCount(page, "active")).toBe(before + 3);
  await openUsers(page, "active", "importer");
  await expect(userRow(page, ike.name)).toContainText("Invited");
  await expect(userRow(page, ike.name)).toContainText(/support/i);
  await expect(userRow(page, formula.name)).toContainText("Invited");

  // The same file again changes nothing: everyone is skipped, and Import stays off.
  const again = await openImport(page);
  await again
    .getByLabel("CSV file")
    .setInputFiles(csv([header, `${iris.email.toUpperCase()};${iris.name};member;`]));
  await expect(again.getByRole("list", { name: "Skipped" })).toContainText(
    `Line 2: ${iris.email.toUpperCase()}: Already a user, on the Active tab.`,
  );
  await expect(again.getByRole("button", { name: "Import", exact: true })).toBeDisabled();
});

test("a file over 10 MB is refused before it is sent", async ({ adminPage: page }) => {
  await openUsers(page, "active");
  const dialog = await openImport(page);
  const uploads: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/users/import")) uploads.push(r.url());
  });
  await dialog.getByLabel("CSV file").setInputFiles({
    name: "huge.csv",
    mimeType: "text/csv",
    buffer: Buffer.alloc(10 * 1024 * 1024 + 1, "a"),
  });
  await expect(dialog.getByRole("alert")).toContainText("That file is larger than 10 MB.");
  await expect(dialog.getByRole("button", { name: "Import", exact: true })).toBeDisabled();
  expect(uploads).toEqual([]);
});

for (const theme of THEMES) {
  for (const viewport of VIEWPORTS) {
    test(`the import dialog at ${viewport.name}, ${theme}: by keyboard, axe clean, nothing changed`, async ({
      browser,
    }) => {
      const page = await themedPage(browser, theme, "admin", viewport);
      await expectTheme(page, theme);
      const button = page.getByRole("button", { name: "Import CSV" });
      await button.focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Import CSV" });
      const field = dialog.getByLabel("CSV file");
      await expect(field).toBeFocused();
      await field.setInputFiles(
        csv(["email,name,role", "not-an-address,X,member", "member@roster.test,M,member"]),
      );
      await expect(dialog.getByRole("list", { name: "Errors" }).getByRole("listitem")).toHaveCount(
        1,
      );
      await expect(dialog.getByRole("button", { name: "Import", exact: true })).toBeDisabled();
      const box = await dialog.boundingBox();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= viewport.width).toBe(true);
      await expectAccessible(page, `the import dialog (${viewport.name}, ${theme})`);
      await page.keyboard.press("Escape");
      await expect(dialog).toBeHidden();
      await expect(button).toBeFocused();
      await page.context().close();
    });
  }
}

test("who may not import sees no button; the upload refuses them, and other origins", async ({
  browser,
  adminPage,
}) => {
  const manager = await pageAs(browser, "manager");
  await openUsers(manager, "active");
  await expect(manager.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(manager.getByRole("button", { name: "Import CSV" })).toHaveCount(0);
  const origin = new URL(manager.url()).origin;
  const body = "email,name,role\nprobe.importer@example.test,P,member\n";
  const refused = await manager.request.post("/users/import", {
    headers: { origin, "content-type": "text/csv" },
    data: body,
  });
  expect(refused.status()).toBe(403);
  // The proxy leaves this path alone; the route gives its answers the security headers itself.
  expect(refused.headers()["x-frame-options"]).toBe("DENY");
  expect(refused.headers()["content-security-policy"]).toBe(
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  );
  expect(refused.headers()["referrer-policy"]).toBe("no-referrer");
  expect(await refused.json()).toEqual({
    ok: false,
    error: "You don't have permission to import users.",
  });
  const foreign = await adminPage.request.post("/users/import", {
    headers: { origin: "https://evil.example", "content-type": "text/csv" },
    data: body,
  });
  expect(foreign.status()).toBe(403);
  const noOrigin = await adminPage.request.post("/users/import", {
    headers: { "content-type": "text/csv" },
    data: body,
  });
  expect(noOrigin.status()).toBe(403);
  await manager.context().close();
});
