import { expectAccessible } from "./axe";
import { expect, openUsers, pageAs, tabCount, test, toastWith } from "./fixtures";

// Runs with playwright.jobs.config.ts: the demo plus 6,000 generated users, batches of 500.
test("deactivating every Active user runs as a job whose progress bar fills up, survives a reload and is listed on Jobs", async ({
  adminPage: page,
  browser,
}) => {
  // Two jobs of 5,000 users each (the second one the first one's Undo) on a loaded machine.
  test.setTimeout(420_000);
  await openUsers(page, "active");
  const active = await tabCount(page, "active");
  expect(active).toBeGreaterThan(5_000);
  const inactiveBefore = await tabCount(page, "inactive");

  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await page.getByRole("button", { name: /^Select all [\d,]+ matching$/ }).click();
  const bulk = page.getByRole("group", { name: "Bulk actions" });
  await bulk.getByRole("button", { name: "Deactivate", exact: true }).click();

  const confirm = page.getByRole("alertdialog", { name: /^Deactivate [\d,]+ users\?$/ });
  await expect(confirm).toContainText("changed in the background");
  // Yourself, the owner and the other admins are skipped: the count says who changes.
  const title = (await confirm.getByRole("heading").first().textContent()) ?? "";
  const willChange = Number(title.replace(/\D/g, ""));
  expect(willChange).toBeGreaterThan(5_000);
  expect(willChange).toBeLessThan(active);
  await confirm
    .getByRole("button", {
      name: `Deactivate ${willChange.toLocaleString("en")} users`,
      exact: true,
    })
    .click();
  // Freezing 5,000 users on the embedded database takes a few seconds on a loaded machine.
  await expect(toastWith(page, /in the background/)).toBeVisible({ timeout: 60_000 });

  const progressOf = (p: typeof page) =>
    p.getByRole("progressbar", { name: /^Progress of Deactivate [\d,]+ users$/ });
  const bar = progressOf(page);
  await expect(bar).toBeVisible({ timeout: 30_000 });
  // Visible on a page loaded afresh: the job lives in the database, not in the page. (A new
  // tab, not a reload: this page saw the job start, so it announces the end whenever it comes;
  // a page loaded after a fast job ended shows its card only.)
  const fresh = await page.context().newPage();
  await fresh.goto("/users");
  await expect(progressOf(fresh)).toBeVisible();
  const total = Number(await progressOf(fresh).getAttribute("aria-valuemax"));
  expect(total).toBe(active);
  await fresh.close();
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 150_000 })
    .toBe(total);
  // Its starter hears that it ended, with Undo in the toast too.
  const ended = toastWith(page, `Deactivate: ${willChange.toLocaleString("en")} done`);
  await expect(ended).toBeVisible();
  await expect(ended.getByRole("button", { name: "Undo" })).toBeVisible();
  // The card says what the confirmation said: who changes (the skipped are in its result).
  const job = page.getByRole("region", {
    name: `Job: Deactivate ${willChange.toLocaleString("en")} users`,
  });
  await expect(job.getByRole("status")).toContainText(
    `${willChange.toLocaleString("en")} users done; ${(active - willChange).toLocaleString("en")} skipped`,
  );
  await expect.poll(() => tabCount(page, "inactive")).toBe(inactiveBefore + willChange);

  // The result is for the admin who started it; the owner finds it on Jobs, not above the table.
  const owner = await pageAs(browser, "owner");
  await openUsers(owner, "inactive");
  await expect(owner.getByRole("region", { name: /^Job: Deactivate/ })).toHaveCount(0);
  await owner.goto("/jobs");
  await expect(owner.getByRole("region", { name: /^Job: Deactivate/ })).toContainText("Finished");
  await owner.context().close();
  // Undo, with the usual preview: the inverse, as a job, on exactly whom the job changed.
  await expect(job).toContainText("Undo is available until");
  await job.getByRole("button", { name: /^Undo Deactivate/ }).click();
  const undo = page.getByRole("alertdialog", {
    name: `Undo: Reactivate ${willChange.toLocaleString("en")} users?`,
  });
  await expectAccessible(page, "the Undo of a job");
  await undo
    .getByRole("button", {
      name: `Reactivate ${willChange.toLocaleString("en")} users`,
      exact: true,
    })
    .click();
  const undoBar = page.getByRole("progressbar", {
    name: `Progress of Reactivate ${willChange.toLocaleString("en")} users`,
  });
  await expect(undoBar).toBeVisible({ timeout: 60_000 });
  await expect
    .poll(async () => Number(await undoBar.getAttribute("aria-valuenow")), { timeout: 200_000 })
    .toBe(willChange);
  await expect.poll(() => tabCount(page, "inactive")).toBe(inactiveBefore);

  // Its starter closes it, for good: it stays on Jobs.
  await job.getByRole("button", { name: /^Dismiss Deactivate/ }).click();
  await expect(job).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("region", { name: /^Job: Deactivate/ })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Job: Deactivate/ })).toContainText("Finished");
});

// After the test above (it deactivates every Active user: these invited ones would be in it).
test("inviting more addresses than IMPORT_JOB_ROWS runs as a job: preview, progress, the card's result, the people on Active", async ({
  adminPage: page,
}) => {
  test.setTimeout(240_000);
  const COUNT = 5_001; // IMPORT_JOB_ROWS + 1
  const address = (i: number) => `bulk.invitee.${i}@example.test`;
  await openUsers(page, "active");
  const before = await tabCount(page, "active");
  await page.getByRole("button", { name: "Invite people" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite people" });
  // One line, comma-separated: Chromium inserts a text of 5,000 lines line by line (minutes).
  await dialog
    .getByLabel("Email addresses")
    .fill(Array.from({ length: COUNT }, (_, i) => address(i)).join(", "));
  await dialog.getByLabel("Role").selectOption({ label: "Member" });
  // Every one of them, none skipped (a workspace short of seats would skip some: the spec fails).
  await expect(
    dialog.getByText(new RegExp(`^${COUNT.toLocaleString("en")} people will be invited( \\(|\\.)`)),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    dialog.getByRole("list", { name: "Will be invited" }).getByRole("listitem").first(),
  ).toContainText(address(0));
  await dialog.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(
    toastWith(page, `Inviting ${COUNT.toLocaleString("en")} people as a job`),
  ).toBeVisible({ timeout: 60_000 });
  await expect(dialog).toBeHidden();

  const title = `Invite ${COUNT.toLocaleString("en")} users`;
  const bar = page.getByRole("progressbar", { name: `Progress of ${title}` });
  await expect(bar).toBeVisible({ timeout: 30_000 });
  expect(Number(await bar.getAttribute("aria-valuemax"))).toBe(COUNT);
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 150_000 })
    .toBe(COUNT);
  const job = page.getByRole("region", { name: `Job: ${title}` });
  await expect(job.getByRole("status")).toContainText(
    `${COUNT.toLocaleString("en")} users done; none skipped`,
  );
  await expect.poll(() => tabCount(page, "active")).toBe(before + COUNT);

  const last = address(COUNT - 1);
  await openUsers(page, "active", last);
  const row = page.getByRole("row").filter({ hasText: last });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Invited");
});
