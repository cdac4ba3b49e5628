import type { Browser, Page } from "@playwright/test";
import { expect, openUsers, pageAs, signIn, test, toastWith, userRow } from "./fixtures";

/*
 * Hostile text, put in the way an attacker can (the public "Request access" form, a reason a
 * manager types, crafted sign-in links), is shown as text on every page that shows it: nothing
 * runs, nothing is blocked by the CSP (a blocked inline handler means markup got through), no
 * `javascript:` link is rendered. Creates its own three pending users, approves one (then
 * deactivates them) and rejects two. Its file name sorts after request-access.spec.ts (the
 * admins' digest goes out at most once an hour, and that spec waits for one) and after every
 * flow spec that reads the tabs.
 */

type Hostile = { name: string; email: string; message: string };

const IMG: Hostile = {
  name: `<img src=x onerror="window.__pwned=1;alert(1)"> Ivy Hostile`,
  email: "ivy.hostile@roster.test",
  message: `<a href="javascript:window.__pwned=4">details</a> javascript:window.__pwned=4`,
};
// No spaces: an email's greeting ("Hi <first word>,") carries all of it.
const SCRIPT: Hostile = {
  name: `"><script>window.__pwned=2;alert(2)</script><svg/onload=window.__pwned=2>`,
  email: "sam.hostile@roster.test",
  message: `</p><script>window.__pwned=2</script><img src=x onerror=alert(2)>`,
};
const JS: Hostile = {
  name: "javascript:window.__pwned=3//Jay Hostile",
  email: "jay.hostile@roster.test",
  message: "javascript:alert(3)",
};
const REASON = `<img src=x onerror="window.__pwned=5;alert(5)"> javascript:window.__pwned=5`;
const PASSWORD = "ivy-hostile-password";

/** The first word of a name, as an email's greeting shows it (lib/mail/templates.ts). */
const firstWord = (name: string) => name.trim().split(/\s+/)[0] ?? "";

type Guard = { problems: string[] };

/** Records, for the life of the page, every dialog, CSP violation and CSP console error. */
async function guard(page: Page): Promise<Guard> {
  const g: Guard = { problems: [] };
  page.on("dialog", (d) => {
    g.problems.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to|CSP violation/i.test(m.text())) {
      g.problems.push(`console: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => {
    if (/__pwned/.test(e.message)) g.problems.push(`pageerror: ${e.message}`);
  });
  // A violation the page catches logs nothing by itself: listen for the event (hardening.spec).
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.warn(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
    });
  });
  return g;
}

/** What would show that text became markup or code, read from the live document. */
function injected(page: Page) {
  return page.evaluate(async () => {
    // Let a failed image's error event and any late handler fire first.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 150)));
    const found: string[] = [];
    const w = window as unknown as { __pwned?: unknown };
    if (w.__pwned !== undefined) found.push(`window.__pwned = ${String(w.__pwned)}`);
    for (const img of document.querySelectorAll('img[src="x"]')) {
      found.push(`<img src="x">: ${img.outerHTML}`);
    }
    for (const el of document.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        if (attr.name.toLowerCase().startsWith("on")) {
          found.push(`inline handler: <${el.localName} ${attr.name}="${attr.value}">`);
        }
      }
      for (const name of ["href", "src", "xlink:href", "formaction"]) {
        const value = el.getAttribute(name);
        if (value === null) continue;
        // As the browser reads it: leading control characters, tabs and newlines dropped.
        let scheme = "";
        try {
          scheme = new URL(value, document.baseURI).protocol;
        } catch {
          scheme = "";
        }
        if (scheme === "javascript:") {
          found.push(`javascript: URL: <${el.localName} ${name}="${el.getAttribute(name)}">`);
        }
      }
    }
    for (const link of document.links) {
      if (link.protocol === "javascript:") found.push(`javascript: link: ${link.href}`);
    }
    // Next's own inline scripts carry the page's data JSON-encoded ("<" as \u003c): not code.
    for (const script of document.scripts) {
      const code = script.textContent ?? "";
      if (code.includes("__pwned") && !code.startsWith("self.__next_f.push(")) {
        found.push(`script: ${script.outerHTML.slice(0, 300)}`);
      }
    }
    return found;
  });
}

/** Each text is shown literally, and nothing on the page ran, was injected or was refused. */
async function expectHarmless(page: Page, g: Guard, shown: string[], where: string) {
  for (const text of shown) {
    await expect(page.getByText(text).first(), `${where}: shows ${text}`).toBeVisible();
  }
  expect(await injected(page), where).toEqual([]);
  expect(g.problems, where).toEqual([]);
}

async function requestAccess(page: Page, g: Guard, who: Hostile) {
  await page.goto("/request-access");
  await page.getByLabel("Name").fill(who.name);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Message").fill(who.message);
  await page.getByRole("button", { name: "Request access" }).click();
  await expect(page.getByRole("status")).toContainText("review your request");
  expect(await injected(page), `request from ${who.email}`).toEqual([]);
  expect(g.problems).toEqual([]);
}

async function guardedPage(browser: Browser): Promise<{ page: Page; g: Guard }> {
  const page = await (await browser.newContext()).newPage();
  return { page, g: await guard(page) };
}

test.describe
  .serial("hostile names and links", () => {
    let admin: Page;
    let g: Guard;
    const ids = new Map<string, string>();

    test.beforeAll(async ({ browser }) => {
      admin = await pageAs(browser, "admin");
      g = await guard(admin);
    });
    test.afterAll(async () => {
      await admin?.context().close();
    });

    test("a stranger sends hostile requests and crafted sign-in links", async ({ browser }) => {
      const { page, g: stranger } = await guardedPage(browser);
      for (const who of [IMG, SCRIPT, JS]) await requestAccess(page, stranger, who);

      // Crafted sign-in links: a javascript: callback is refused, a hostile address is text.
      const address = `"><img/src=x/onerror=alert(6)>@x`;
      await page.goto(
        `/sign-in?email=${encodeURIComponent(address)}&callbackUrl=javascript:alert(6)&next=javascript:alert(6)`,
      );
      await expect(page.getByLabel("Email")).toHaveValue(address);
      await expectHarmless(page, stranger, [], "/sign-in with crafted parameters");
      await page.goto("/api/auth/signin?callbackUrl=javascript:window.__pwned=6");
      await expect(page).toHaveURL(/\/sign-in/);
      await signIn(page, "support@roster.test");
      await page.waitForURL("**/users");
      await expectHarmless(page, stranger, [], "signed in after a javascript: callbackUrl");
      await page.context().close();
    });

    test("the users list, its row menu, dialogs and a bulk preview show them as text", async () => {
      await openUsers(admin, "pending", "hostile");
      for (const who of [IMG, SCRIPT, JS]) {
        await expect(userRow(admin, who.name)).toContainText(who.message);
        const href = await admin
          .getByRole("link", { name: who.name, exact: true })
          .getAttribute("href");
        expect(href).toMatch(/^\/users\/[0-9a-f-]{36}$/);
        ids.set(who.email, href ?? "");
      }
      await expectHarmless(
        admin,
        g,
        [IMG, SCRIPT, JS].flatMap((w) => [w.name, w.message, w.email]),
        "/users Pending",
      );

      // The row menu and both of its dialogs, cancelled.
      for (const verb of ["Reject", "Approve"]) {
        await admin.getByRole("button", { name: `Actions for ${IMG.name}` }).click();
        await expect(admin.getByRole("menu")).toBeVisible();
        await admin.getByRole("menuitem", { name: verb, exact: true }).click();
        const dialog = admin.getByRole("alertdialog", { name: `${verb} ${IMG.name}?` });
        await expect(dialog).toBeVisible();
        await expectHarmless(admin, g, [`${verb} ${IMG.name}?`], `${verb} dialog`);
        await dialog.getByRole("button", { name: "Cancel" }).click();
        await expect(dialog).toHaveCount(0);
      }

      // A bulk rejection of the other two: its preview names them; the reason is hostile too.
      await admin.getByRole("checkbox", { name: "Select all on this page" }).check();
      await admin.getByRole("checkbox", { name: `Select ${IMG.name}` }).uncheck();
      await expect(admin.getByText("2 selected")).toBeVisible();
      await admin
        .getByRole("group", { name: "Bulk actions" })
        .getByRole("button", { name: "Reject", exact: true })
        .click();
      const bulk = admin.getByRole("alertdialog", { name: "Reject 2 users?" });
      const list = bulk.getByRole("list", { name: "Users this affects" });
      await expect(list.getByRole("listitem")).toHaveCount(2);
      await expectHarmless(
        admin,
        g,
        [SCRIPT.name, SCRIPT.email, JS.name, JS.email],
        "bulk reject preview",
      );
      await bulk.getByLabel("Reason").fill(REASON);
      await bulk.getByRole("button", { name: "Reject 2 users", exact: true }).click();
      await expect(toastWith(admin, "Rejected 2 users.")).toBeVisible();

      await admin.getByRole("button", { name: `Actions for ${IMG.name}` }).click();
      await admin.getByRole("menuitem", { name: "Approve", exact: true }).click();
      const approve = admin.getByRole("alertdialog", { name: `Approve ${IMG.name}?` });
      await approve.getByRole("button", { name: "Approve", exact: true }).click();
      await expect(toastWith(admin, "Approved 1 user.")).toBeVisible();
      await expectHarmless(admin, g, [], "after the actions' toasts");
    });

    test("the approved one signs in and sees their own name as text", async ({ browser }) => {
      await admin.goto(`/mailbox?to=${encodeURIComponent(IMG.email)}`);
      const href = await admin
        .getByRole("article")
        .filter({ hasText: "Access request approved" })
        .getByRole("link", { name: /\/reset-password\// })
        .first()
        .getAttribute("href");
      const { page, g: own } = await guardedPage(browser);
      await page.goto(new URL(href ?? "", "http://placeholder").pathname);
      await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
      await expectHarmless(page, own, [], "their reset-password page");
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Confirm password").fill(PASSWORD);
      await page.getByRole("button", { name: "Set new password" }).click();
      await expect(page).toHaveURL(/\/sign-in\?reason=password-reset/);
      await signIn(page, IMG.email, PASSWORD);
      await expect(
        page.getByRole("heading", { name: "You don't have access to the admin console" }),
      ).toBeVisible();
      await expectHarmless(page, own, [IMG.name], "their own no-access page");
      await page.context().close();
    });
    test("their pages, history, a toast naming them, and the audit log", async () => {
      for (const who of [SCRIPT, JS]) {
        await admin.goto(ids.get(who.email) ?? "");
        await expect(admin.getByRole("heading", { level: 1 })).toContainText(who.name);
        await expect(admin.getByRole("heading", { name: "History" })).toBeVisible();
        expect(await admin.title()).toContain(who.name);
        await expectHarmless(admin, g, [who.name, who.message, REASON], `detail of ${who.email}`);
      }

      await admin.goto(ids.get(IMG.email) ?? "");
      await expect(admin.getByRole("heading", { level: 1 })).toContainText(IMG.name);
      expect(await admin.title()).toContain(IMG.name);
      // Ending their sessions: the confirmation and the toast name them.
      await admin.getByRole("button", { name: "End sessions" }).click();
      const end = admin.getByRole("alertdialog", { name: `End ${IMG.name}'s sessions?` });
      await expect(end).toBeVisible();
      await end.getByRole("button", { name: "End sessions" }).click();
      await expect(toastWith(admin, `${IMG.name} is signed out everywhere.`)).toBeVisible();
      await expectHarmless(admin, g, [IMG.name, IMG.message], "detail of the approved one");
      // The page's own menu; the dialog's title and its "Notify … by email" name them.
      await admin.getByRole("button", { name: `Actions for ${IMG.name}` }).click();
      await admin.getByRole("menuitem", { name: "Deactivate", exact: true }).click();
      const deactivate = admin.getByRole("alertdialog", { name: `Deactivate ${IMG.name}?` });
      await deactivate.getByLabel(`Notify ${IMG.name} by email`).check();
      await expectHarmless(admin, g, [`Deactivate ${IMG.name}?`], "Deactivate dialog on detail");
      await deactivate.getByRole("button", { name: "Deactivate", exact: true }).click();
      await expect(toastWith(admin, "Deactivated 1 user.")).toBeVisible();
      await expectHarmless(admin, g, [IMG.name], "after deactivating the approved one");

      // The log's newest events name all three, as actor (their own request) and as target.
      await admin.goto("/audit");
      await expect(admin.getByRole("heading", { name: "Audit log" })).toBeVisible();
      await expectHarmless(admin, g, [IMG.name, SCRIPT.name, JS.name, REASON], "/audit");
    });

    test("the mailbox shows their emails as text, with no link made of their words", async () => {
      await admin.goto("/mailbox?to=hostile");
      await expect(
        admin.getByRole("article").filter({ hasText: "Access request approved" }),
      ).toHaveCount(1);
      await expect(
        admin.getByRole("article").filter({ hasText: "Access request declined" }),
      ).toHaveCount(2);
      await expect(
        admin.getByRole("article").filter({ hasText: "Deactivation notice" }),
      ).toHaveCount(1);
      await expectHarmless(
        admin,
        g,
        [IMG, SCRIPT, JS].map((w) => `Hi ${firstWord(w.name)},`),
        "/mailbox, their emails",
      );
      // The admins' digest names the first of them when it went out for that request (one an
      // hour at most: after request-access.spec's, theirs waits for the next hour).
      await admin.goto(`/mailbox?to=${encodeURIComponent("admin@roster.test")}`);
      const digest = admin.getByRole("article").filter({ hasText: "Access requests" }).first();
      await expect(digest).toBeVisible();
      const named = (await digest.textContent())?.includes(IMG.email) ?? false;
      await expectHarmless(
        admin,
        g,
        named ? [`- ${IMG.name} <${IMG.email}>`] : [],
        "/mailbox, the admins' digest",
      );
    });
  });
