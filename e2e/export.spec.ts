import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { parseCsv } from "../lib/testing/parse-csv";
import { expect, pageAs, test } from "./fixtures";

// Read-only: exports never change data.

async function tabCount(page: Page, name: string): Promise<number> {
  const label =
    (await page.getByRole("tab", { name: new RegExp(`^${name} \\d+$`) }).textContent()) ?? "";
  return Number(label.replace(/\D+/g, ""));
}

async function download(page: Page): Promise<{ name: string; rows: string[][] }> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const path = await file.path();
  const text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
  return { name: file.suggestedFilename(), rows: parseCsv(text) };
}

test.describe("CSV export", () => {
  test("a manager downloads the whole Archived tab: one row per user the tab counts", async ({
    browser,
  }) => {
    const page = await pageAs(browser, "manager");
    // A small page size: the export is the whole view, not the page on screen.
    await page.goto("/users?tab=archived&size=10");
    const count = await tabCount(page, "Archived");
    expect(count).toBeGreaterThan(10);
    const { name, rows } = await download(page);
    expect(name).toMatch(/^roster-archived-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...body] = rows;
    expect(header?.slice(0, 4)).toEqual(["Name", "Email", "Role", "Status"]);
    expect(body).toHaveLength(count);
    const status = header?.indexOf("Status") ?? -1;
    for (const r of body) expect(r[status]).toBe("archived");
    expect(new Set(body.map((r) => r[1])).size).toBe(count);
    expect(body.map((r) => r[1])).toContain("archived@roster.test");
    await page.context().close();
  });

  test("the export follows the view's filters and order", async ({ browser }) => {
    const page = await pageAs(browser, "manager");
    await page.goto("/users?q=roster.test&roles=admin,manager&sort=email&dir=desc");
    const shown = (await page.getByText(/^\d+ users?$/).textContent()) ?? "";
    const { rows } = await download(page);
    const body = rows.slice(1);
    expect(body).toHaveLength(Number(shown.replace(/\D+/g, "")));
    for (const r of body) expect(["admin", "manager"]).toContain(r[2]);
    // Same order as the table on screen (the database's collation decides it, for both).
    const onScreen = await page.getByRole("cell", { name: /@roster\.test$/ }).allInnerTexts();
    expect(onScreen.length).toBeGreaterThan(1);
    expect(body.map((r) => r[1]).slice(0, onScreen.length)).toEqual(onScreen);
    await page.context().close();
  });

  test("members get 403, signed-out visitors 401, support sees no export", async ({
    browser,
    request,
  }) => {
    const member = await pageAs(browser, "member");
    const refused = await member.request.get("/users/export?tab=archived");
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain("permission");
    await member.context().close();

    const support = await pageAs(browser, "support");
    await expect(support.getByRole("link", { name: "Export CSV" })).toHaveCount(0);
    expect((await support.request.get("/users/export")).status()).toBe(403);
    await support.context().close();

    const anonymous = await request.get("/users/export?tab=archived", { maxRedirects: 0 });
    expect(anonymous.status()).toBe(401);
  });
});
