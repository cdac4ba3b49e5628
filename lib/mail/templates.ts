import { formatCount, formatDateTime } from "@/lib/format";

export type Email = { subject: string; body: string };

const EMAIL_KINDS = [
  "invitation",
  "deactivated",
  "archived",
  "restored",
  "reactivated",
  "password-reset",
  "access-approved",
  "access-rejected",
  "access-requests",
  "dormant-warning",
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

function greeting(name: string): string {
  const first = name.trim().split(/\s+/)[0];
  return first ? `Hi ${first},` : "Hi,";
}

/**
 * The invitation emails of one inviter, link and expiry: all but the greeting is written once, and
 * each person's email is their greeting then `rest` (a batch of thousands sends `rest` once, and
 * the database joins them: see writeInvitations).
 */
export function invitationEmails(args: {
  inviterName: string | null;
  link: string;
  expiresAt: Date;
}): { subject: string; greeting: (name: string) => string; rest: string } {
  const who = args.inviterName ? `${args.inviterName} invited you` : "You have been invited";
  const rest = [
    "",
    "",
    `${who} to your workspace on Roster. Open this link to set your password and join:`,
    "",
    args.link,
    "",
    `The link works once and expires on ${formatDateTime(args.expiresAt)}.`,
    "If you weren't expecting this email, you can ignore it.",
  ].join("\n");
  return { subject: "You're invited to Roster", greeting, rest };
}

export function deactivatedEmail(args: { name: string }): Email {
  return {
    subject: "Your Roster account has been deactivated",
    body: [
      greeting(args.name),
      "",
      "Your account in your workspace on Roster has been deactivated: you can no longer sign in.",
      "Your data is kept. If you think this is a mistake, contact your workspace admin.",
    ].join("\n"),
  };
}

export function archivedEmail(args: { name: string }): Email {
  return {
    subject: "Your Roster account has been archived",
    body: [
      greeting(args.name),
      "",
      "Your account in your workspace on Roster has been archived: you can no longer sign in, and this is the last email Roster sends you.",
      "Your data is kept. If you think this is a mistake, or need something from your account, contact your workspace admin.",
    ].join("\n"),
  };
}

export function dormantWarningEmail(args: {
  name: string;
  days: number;
  signInUrl: string;
}): Email {
  return {
    subject: "Your Roster account will be deactivated soon",
    body: [
      greeting(args.name),
      "",
      `You haven't signed in to your workspace on Roster for a while. Unless you sign in within ${args.days === 1 ? "a day" : `${args.days} days`}, your account will be deactivated (your data is kept, and an admin can reactivate it).`,
      `To keep it, sign in: ${args.signInUrl}`,
      "If you no longer need it, you can ignore this email. Questions: contact your workspace admin.",
    ].join("\n"),
  };
}

export function reactivatedEmail(args: { name: string; signInUrl: string }): Email {
  return {
    subject: "Your Roster account has been reactivated",
    body: [
      greeting(args.name),
      "",
      "Your account in your workspace on Roster has been reactivated.",
      `You can sign in again with your email and password: ${args.signInUrl}`,
      "If you weren't expecting this, contact your workspace admin.",
    ].join("\n"),
  };
}

export function restoredEmail(args: {
  name: string;
  canSignIn: boolean;
  signInUrl: string;
}): Email {
  return {
    subject: "Your Roster account has been restored",
    body: [
      greeting(args.name),
      "",
      "Your account in your workspace on Roster has been restored.",
      args.canSignIn
        ? `You can sign in again with your email and password: ${args.signInUrl}`
        : "Your workspace admin will let you know when you can sign in again.",
    ].join("\n"),
  };
}

export function passwordResetEmail(args: { name: string; link: string; expiresAt: Date }): Email {
  return {
    subject: "Reset your Roster password",
    body: [
      greeting(args.name),
      "",
      "Someone asked to reset the password of your account on Roster. Open this link to choose a new one:",
      "",
      args.link,
      "",
      `The link works once and expires on ${formatDateTime(args.expiresAt)}. Using it signs you out everywhere else.`,
      "If you didn't ask for this, you can ignore this email: your password stays as it is.",
    ].join("\n"),
  };
}

export function accessApprovedEmail(args: { name: string; link: string; expiresAt: Date }): Email {
  return {
    subject: "Your request to join Roster was approved",
    body: [
      greeting(args.name),
      "",
      "Your request to join your workspace on Roster was approved. Open this link to set your password:",
      "",
      args.link,
      "",
      `The link works once and expires on ${formatDateTime(args.expiresAt)}. After it has expired, use "Forgot password?" on the sign-in page.`,
    ].join("\n"),
  };
}

export function accessRejectedEmail(args: { name: string }): Email {
  return {
    subject: "Your request to join Roster",
    body: [
      greeting(args.name),
      "",
      "Your request to join your workspace on Roster was declined.",
      "If you think this is a mistake, contact your workspace admin.",
    ].join("\n"),
  };
}

export function accessRequestsDigest(args: {
  name: string;
  total: number;
  people: readonly { name: string; email: string }[];
  link: string;
}): Email {
  const many = args.total === 1 ? "1 person asks" : `${formatCount(args.total)} people ask`;
  const more = args.total - args.people.length;
  return {
    subject: `${many} to join Roster`,
    body: [
      greeting(args.name),
      "",
      `${many} to join your workspace on Roster:`,
      "",
      ...args.people.map((p) => `- ${p.name} <${p.email}>`),
      ...(more > 0 ? [`- and ${formatCount(more)} more`] : []),
      "",
      `Approve or reject them in the Pending tab: ${args.link}`,
      "You get at most one of these emails an hour.",
    ].join("\n"),
  };
}
