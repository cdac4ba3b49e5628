import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import type { ReactNode } from "react";
import { getDb } from "@/lib/db";
import { settings } from "@/lib/env";
import { formatCount } from "@/lib/format";
import { lastPolicyRun, readPolicy } from "@/lib/policies/define";
import { DORMANT } from "@/lib/policies/dormant";
import { RETENTION } from "@/lib/policies/retention";
import { listScimTokens } from "@/lib/scim/tokens";
import { requireActor } from "@/lib/session";
import { seatsUsed } from "@/lib/users/queries";
import {
  DEFAULT_ROLE_CHOICES,
  defaultOwner,
  SCIM_DELETE_CHOICES,
  SCIM_DELETE_LABELS,
  SETTING_REFUSALS,
  settingRefusal,
  workspaceSettings,
} from "@/lib/workspace-settings";
import { can } from "@/model/permissions";
import { ROLE_LABELS } from "@/model/roles";
import { DeleteApprovalForm } from "./delete-approval-form";
import { DormantPolicyForm, RetentionPolicyForm } from "./policy-forms";
import { ReasonsForm } from "./reasons-form";
import { ScimTokens } from "./scim-tokens";
import { SettingForm } from "./setting-form";

export const metadata: Metadata = { title: "Settings" };

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      id={id}
      className="scroll-mt-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h2 id={`${id}-heading`} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** The workspace's settings: owner and admin only; each change is audited. */
export default async function SettingsPage() {
  const actor = await requireActor();
  if (!can(actor.role, "settings.manage")) forbidden();
  const db = await getDb();
  const [current, used, tokens, owner, dormant, dormantRun, retention, retentionRun] =
    await Promise.all([
      workspaceSettings(db),
      seatsUsed(db),
      listScimTokens(db),
      defaultOwner(db),
      readPolicy(db, DORMANT),
      lastPolicyRun(db, DORMANT),
      readPolicy(db, RETENTION),
      lastPolicyRun(db, RETENTION),
    ]);
  // A default owner who has since left active use takes nothing: say so.
  const ownerGone = current.defaultOwnerId !== null && owner === null;
  const derivedFrom = settings().smtpUrl
    ? "the SMTP login (or no-reply at the SMTP host)"
    : "the SMTP settings, once SMTP_URL is set";
  return (
    <main className="space-y-6">
      <div>
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
          The workspace&apos;s own settings, the same for every server it runs on. Each change is in
          the audit log.
        </p>
      </div>
      <Section id="seats" title="Seats">
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
          Invited and active users each hold a seat: {formatCount(used)} of{" "}
          {formatCount(current.seatLimit)} are in use.
        </p>
        <SettingForm
          setting="seatLimit"
          label="Seat limit"
          inputMode="numeric"
          initial={String(current.seatLimit)}
          hint={`At least ${formatCount(used)}, the seats in use now.`}
          readOnlyReason={
            settingRefusal(actor, "seatLimit") === SETTING_REFUSALS.seatLimitOwner
              ? SETTING_REFUSALS.seatLimitOwner
              : undefined
          }
          savedMessage="Seat limit saved."
        />
      </Section>
      <Section id="email" title="Email">
        <SettingForm
          setting="mailFrom"
          label="Sender address"
          inputMode="email"
          initial={current.mailFrom ?? ""}
          hint={`The From of every email, e.g. Roster <roster@example.com>; a domain your mail relay may send for (SPF, DMARC). Empty: taken from ${derivedFrom}.`}
          savedMessage="Sender address saved."
        />
      </Section>
      <Section id="dormant" title="Dormant users">
        <DormantPolicyForm saved={dormant} lastRun={dormantRun} />
      </Section>
      <Section id="retention" title="Retention">
        <RetentionPolicyForm
          saved={retention}
          lastRun={retentionRun}
          ownerName={owner ? `${owner.name}, ${owner.email}` : null}
        />
      </Section>
      <Section id="provisioning" title="Provisioning">
        <div className="space-y-4">
          <SettingForm
            setting="defaultOwner"
            label="Default owner of records"
            inputMode="email"
            initial={owner?.email ?? ""}
            hint={
              ownerGone
                ? "The default owner chosen before is no longer an active admin or owner, so nobody takes records now: enter the email of one."
                : "The email of an active admin or owner who takes the projects and automations of people the identity provider removes. Empty: such a removal is refused until someone transfers them in Roster."
            }
            savedMessage="Default owner saved."
          />
          <SettingForm
            setting="scimDelete"
            label="When the identity provider deletes a user"
            options={SCIM_DELETE_CHOICES.map((c) => ({ value: c, label: SCIM_DELETE_LABELS[c] }))}
            initial={current.scimDelete}
            hint="Archive keeps their data and can be undone from the Archived tab. Delete permanently erases their personal data and can't be undone."
            savedMessage="Saved: SCIM's DELETE now does that."
          />
          <SettingForm
            setting="defaultRole"
            label="Role of people the identity provider creates"
            options={DEFAULT_ROLE_CHOICES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            initial={current.defaultRole}
            hint="SCIM never gives anyone a higher role; change roles in Roster."
            savedMessage="Role of new people saved."
          />
        </div>
      </Section>
      <Section id="deletion-approval" title="Deletion approval">
        <DeleteApprovalForm initial={current.deleteApproval} />
      </Section>
      <Section id="reasons" title="Reasons">
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
          Every confirmation asks why. The reason shows in the users list, each user&apos;s history,
          the audit log (which filters by it) and the CSV export; erasing a user redacts it.
        </p>
        <ReasonsForm initial={current.reasons} initialRequired={current.reasonRequired} />
      </Section>
      <Section id="scim" title="SCIM tokens">
        <ScimTokens
          baseUrl={`${settings().publicUrl.replace(/\/+$/, "")}/scim/v2`}
          tokens={tokens.map((t) => ({
            ...t,
            createdAt: new Date(t.createdAt).toISOString(),
            lastUsedAt: t.lastUsedAt ? new Date(t.lastUsedAt).toISOString() : null,
            revokedAt: t.revokedAt ? new Date(t.revokedAt).toISOString() : null,
          }))}
        />
      </Section>
    </main>
  );
}
