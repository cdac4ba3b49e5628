import { expect, test } from "./fixtures";

// Read-only: crafted query strings on every console page and the export.

const PAGES = [
  "/users?q=%00",
  "/users?q=ann%00&tab=inactive",
  "/users?before=2024-99-99",
  "/users?before=0000-01-01",
  "/users?tab=%00&sort=%00&dir=%00&page=%00&size=%00&roles=%00&cols=%00&cursor=%00",
  "/audit?actor=%00",
  "/audit?target=%00&action=%00",
  "/audit?from=2024-99-99&to=0000-01-01",
  "/mailbox?to=%00",
  "/mailbox?page=%00",
];

test("crafted query strings fall back to the default view, never a 500", async ({
  adminPage: page,
}) => {
  // Ten page loads: more than the default minute on a loaded machine.
  test.setTimeout(180_000);
  for (const path of PAGES) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }), path).toBeVisible();
    await expect(page.getByText("Something went wrong"), path).toHaveCount(0);
  }
  // The search box shows the fallback, not the crafted value.
  await page.goto("/users?q=%00");
  await expect(page.getByLabel("Search users")).toHaveValue("");
  await expect(page.getByRole("tab", { name: /^Active \d+$/ })).toHaveAttribute(
    "aria-selected",
    "true",
  );
});

test("the export refuses a crafted filter with a 400, and exports a sound one", async ({
  adminPage: page,
}) => {
  for (const query of ["q=%00", "before=2024-99-99", "before=0000-01-01", "tab=%00"]) {
    const response = await page.request.get(`/users/export?${query}`);
    expect(response.status(), query).toBe(400);
    expect(await response.text()).toContain("malformed filter");
  }
  const ok = await page.request.get("/users/export?tab=archived&q=Arthur");
  expect(ok.status()).toBe(200);
  expect(await ok.text()).toContain("archived@roster.test");
});
