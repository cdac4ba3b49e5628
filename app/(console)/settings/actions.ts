"use server";

import { z } from "zod";
import {
  countPolicy,
  type EnqueueResult,
  POLICY_REFUSALS,
  runPolicyNow,
  type SavePolicyResult,
  savePolicy,
} from "@/lib/policies/define";
import { DORMANT, dormantPolicySchema, previewDormant } from "@/lib/policies/dormant";
import { dormantFilterOf } from "@/lib/policies/dormant-filter";
import { RETENTION, retentionPolicySchema } from "@/lib/policies/retention";
import {
  type CreateScimTokenResult,
  createScimToken,
  type RevokeScimTokenResult,
  revokeScimToken,
  SCIM_TOKEN_REFUSALS,
  scimTokenIdSchema,
  scimTokenNameSchema,
} from "@/lib/scim/tokens";
import { runServerAction } from "@/lib/server-action";
import { usersViewQuery } from "@/lib/users/view";
import {
  changeSetting,
  SETTING_REFUSALS,
  type SettingResult,
  settingChangeSchema,
} from "@/lib/workspace-settings";

/** Saves one of the workspace's settings (/settings); the domain re-checks who may. */
export async function saveSettingAction(input: unknown): Promise<SettingResult> {
  return runServerAction(
    {
      name: "save-setting",
      schema: settingChangeSchema,
      permission: () => "settings.manage",
      denied: () => SETTING_REFUSALS.denied,
      revalidate: ["/settings", "/users"],
      run: (ctx, change) =>
        changeSetting(ctx.db, { actor: ctx.actor, change, requestId: ctx.requestId, now: ctx.now }),
    },
    input,
  );
}

/** Makes a SCIM token (/settings, "SCIM tokens"): the answer carries the token, shown once. */
export async function createScimTokenAction(input: unknown): Promise<CreateScimTokenResult> {
  return runServerAction(
    {
      name: "create-scim-token",
      schema: scimTokenNameSchema,
      permission: () => "settings.manage",
      denied: () => SCIM_TOKEN_REFUSALS.denied,
      revalidate: ["/settings"],
      run: (ctx, { name }) =>
        createScimToken(ctx.db, { actor: ctx.actor, name, requestId: ctx.requestId, now: ctx.now }),
    },
    input,
  );
}

/** Revokes a SCIM token: requests with it get 401 from then on. */
export async function revokeScimTokenAction(input: unknown): Promise<RevokeScimTokenResult> {
  return runServerAction(
    {
      name: "revoke-scim-token",
      schema: scimTokenIdSchema,
      permission: () => "settings.manage",
      denied: () => SCIM_TOKEN_REFUSALS.denied,
      revalidate: ["/settings"],
      run: (ctx, { id }) =>
        revokeScimToken(ctx.db, { actor: ctx.actor, id, requestId: ctx.requestId, now: ctx.now }),
    },
    input,
  );
}

const policyInput = z.discriminatedUnion(
  "policy",
  [
    z.strictObject({ policy: z.literal("dormant"), settings: dormantPolicySchema }),
    z.strictObject({ policy: z.literal("retention"), settings: retentionPolicySchema }),
  ],
  { error: 'policy is "dormant" or "retention"' },
);
const policyName = z.strictObject({ policy: z.enum(["dormant", "retention"]) });

/** Saves a policy (its section on /settings); the domain re-checks who may. */
export async function savePolicyAction(input: unknown): Promise<SavePolicyResult> {
  return runServerAction(
    {
      name: "save-policy",
      schema: policyInput,
      permission: () => "settings.manage",
      denied: () => POLICY_REFUSALS.denied,
      revalidate: ["/settings", "/users"],
      run: (ctx, { policy, settings }) => {
        const args = { actor: ctx.actor, requestId: ctx.requestId, now: ctx.now };
        return policy === "dormant"
          ? savePolicy(ctx.db, DORMANT, { ...args, policy: settings })
          : savePolicy(ctx.db, RETENTION, { ...args, policy: settings });
      },
    },
    input,
  );
}

export type PolicyPreviewResult =
  | {
      ok: true;
      count: number;
      warnCount: number | null;
      /** The same users on /users, as a filter (the dormant policy's condition), if any. */
      usersHref: string | null;
    }
  | { ok: false; error: string };

/** Who a policy, as its form says it (saved or not), would act on now. */
export async function previewPolicyAction(input: unknown): Promise<PolicyPreviewResult> {
  return runServerAction(
    {
      name: "preview-policy",
      schema: policyInput,
      permission: () => "settings.manage",
      denied: () => POLICY_REFUSALS.denied,
      run: async (ctx, { policy, settings }) => {
        if (policy === "dormant") {
          const p = await previewDormant(ctx.db, { now: ctx.now, policy: settings });
          return {
            ok: true as const,
            count: p.count,
            warnCount: settings.warnDays > 0 ? p.warnCount : null,
            usersHref: `/users${usersViewQuery({ dormant: dormantFilterOf(settings) })}`,
          };
        }
        const count = await countPolicy(ctx.db, RETENTION, { now: ctx.now, policy: settings });
        return { ok: true as const, count, warnCount: null, usersHref: null };
      },
    },
    input,
  );
}

/** "Run now": the saved policy, once, as a job. */
export async function runPolicyNowAction(input: unknown): Promise<EnqueueResult> {
  return runServerAction(
    {
      name: "run-policy",
      schema: policyName,
      permission: () => "settings.manage",
      denied: () => POLICY_REFUSALS.denied,
      revalidate: ["/settings", "/users"],
      run: (ctx, { policy }) => {
        const args = { actor: ctx.actor, now: ctx.now };
        return policy === "dormant"
          ? runPolicyNow(ctx.db, DORMANT, args)
          : runPolicyNow(ctx.db, RETENTION, args);
      },
    },
    input,
  );
}
