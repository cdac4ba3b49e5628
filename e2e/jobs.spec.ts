import { expect, openUsers, tabCount, test, toastWith } from "./fixtures";

// Runs with playwright.jobs.config.ts: the demo plus 6,000 generated users, batches of 500.
test("deactivating every Active user runs as a job whose progress bar fills up, survives a reload and is listed on Jobs", async ({
  adminPage: page,
}) => {
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

  const bar = page.getByRole("progressbar", { name: /^Progress of Deactivate [\d,]+ users$/ });
  await expect(bar).toBeVisible({ timeout: 30_000 });
  // Visible after a reload: the job lives in the database, not in the page.
  await page.reload();
  await expect(bar).toBeVisible();
  const total = Number(await bar.getAttribute("aria-valuemax"));
  expect(total).toBe(active);
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 150_000 })
    .toBe(total);
  const job = page.getByRole("region", { name: /^Job: Deactivate/ });
  await expect(job.getByRole("status")).toContainText(
    `${willChange.toLocaleString("en")} users done; ${(active - willChange).toLocaleString("en")} skipped`,
  );
  await expect.poll(() => tabCount(page, "inactive")).toBe(inactiveBefore + willChange);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Job: Deactivate/ })).toContainText("Finished");
});
