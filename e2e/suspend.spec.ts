import {
  expect,
  openUsers,
  rowAction,
  signIn,
  signInAlert,
  test,
  toastWith,
  userRow,
} from "./fixtures";

// The time field is the browser's local time: pin it, so that the refusal's UTC time is known.
test.use({ timezoneId: "UTC" });

test("an admin suspends a member until a time; signing in, they are told until when", async ({
  browser,
  adminPage: page,
}) => {
  const name = "Amir Costa";
  await openUsers(page, "active", name);
  await rowAction(page, name, "Suspend until…");

  const confirm = page.getByRole("alertdialog", { name: `Suspend ${name}?` });
  await expect(confirm).toContainText("They can't sign in until the time you choose");
  const submit = confirm.getByRole("button", { name: "Suspend until…", exact: true });
  // The time is required: nothing to confirm until it is given.
  await expect(submit).toBeDisabled();
  await confirm.getByLabel(`Suspend ${name} until`).fill("2099-01-12T09:30");
  await submit.click();
  await expect(toastWith(page, "Suspended 1 user.")).toBeVisible();
  await expect(userRow(page, name)).toHaveCount(0);

  const context = await browser.newContext();
  const them = await context.newPage();
  await signIn(them, "amir.costa.85@roster.test");
  await expect(signInAlert(them)).toHaveText(
    "Your account has been deactivated until Jan 12, 2099, 9:30 AM UTC. Contact your workspace admin.",
  );
  await context.close();
});
