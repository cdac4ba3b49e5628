import type { Page } from "@playwright/test";
import { expectAccessible, THEMES, themedPage } from "./axe";
import { expect, test } from "./fixtures";

// Read-only. Every demo address ends in roster.test: more than 100 people, so the audit log
// refuses that text as an actor filter and offers people to pick, each by id (issue 20 §1).

const BROAD = "roster.test";

const actorCells = (page: Page) => page.locator("tbody tr td:nth-child(2)");

async function tabTo(page: Page, name: string | RegExp, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const focused = page.locator(":focus");
    if ((await focused.count()) > 0 && (await focused.getAttribute("href")) !== null) {
      const text = (await focused.textContent()) ?? "";
      if (typeof name === "string" ? text === name : name.test(text)) return;
    }
  }
  throw new Error(`no link ${name} within ${max} tabs`);
}

test("a broad actor text says how many people it matches, lists none of their events, and picks one by id", async ({
  adminPage: page,
}) => {
  await page.goto("/audit");
  const actor = page.getByLabel("Actor");
  await actor.focus();
  await page.keyboard.type(BROAD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/actor=roster\.test/);

  const refusal = page.getByRole("region", { name: /^Actor “roster\.test” matches \d+ people$/ });
  await expect(refusal).toBeVisible();
  await expect(refusal).toContainText("Pick one below, or type more of a name or email.");
  // Never a subset: no events and no count of them.
  await expect(page.getByRole("table")).toHaveCount(0);
  await expect(page.getByText(/\d+ events$/)).toHaveCount(0);
  const people = refusal.getByRole("listitem");
  await expect(people).toHaveCount(20);
  await expectAccessible(page, "a too-broad actor filter");

  // The first people by name, each with their address; pick Adam Admin by keyboard.
  await expect(refusal.getByRole("heading", { name: "The first 20 by name" })).toBeVisible();
  const adam = refusal.getByRole("link", { name: "Adam Admin admin@roster.test" });
  await expect(adam).toBeVisible();
  await tabTo(page, "Adam Admin admin@roster.test");
  await expect(adam).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/actor=id(:|%3A)[0-9a-f-]{36}$/);
  const picked = page.url();

  // Their events, all of them theirs, with a count; the field shows whom the id names.
  await expect(page.getByLabel("Actor")).toHaveValue("admin@roster.test");
  await expect(page.getByText("One person: Adam Admin")).toBeVisible();
  await expect(actorCells(page).first()).toBeVisible();
  for (const text of await actorCells(page).allInnerTexts()) expect(text).toBe("Adam Admin");
  await expect(page.getByText(/ of [\d,]+\+? events$/)).toBeVisible();
  await expectAccessible(page, "the log filtered by a picked person");

  // Applying again keeps the pick (the id, not the text); typing in the field drops it.
  await page.getByLabel("Action").selectOption({ label: "Archive" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(
    /actor=id(:|%3A)[0-9a-f-]{36}.*action=archive|action=archive.*actor=id/,
  );
  expect(new URL(page.url()).searchParams.get("actor")).toBe(
    new URL(picked).searchParams.get("actor"),
  );
  await page.getByLabel("Actor").fill("maya@roster");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/actor=maya%40roster/);
  await expect(page.getByText("One person:")).toHaveCount(0);
});

test("a malformed person id falls back to no filter, never an error", async ({
  adminPage: page,
}) => {
  const response = await page.goto("/audit?actor=id:not-a-uuid&target=id:%27;drop");
  expect(response?.status()).toBe(200);
  await expect(page.getByLabel("Actor")).toHaveValue("");
  await expect(page.getByLabel("Target")).toHaveValue("");
  await expect(page.getByRole("table")).toBeVisible();
});

for (const theme of THEMES) {
  test(`the too-broad answer at 390 px in the ${theme} theme: no sideways scroll, accessible`, async ({
    browser,
  }) => {
    const page = await themedPage(browser, theme, "admin", { width: 390, height: 844 });
    await page.goto(`/audit?target=${BROAD}&action=archive`);
    const refusal = page.getByRole("region", { name: /^Target “roster\.test” matches/ });
    await expect(refusal.getByRole("listitem")).toHaveCount(20);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await expectAccessible(page, `a too-broad target filter at 390 px (${theme})`);
    await page.context().close();
  });
}
