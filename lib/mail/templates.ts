import { formatDateTime } from "@/lib/format";

export type Email = { subject: string; body: string };

const EMAIL_KINDS = ["invitation", "deactivated", "restored"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

function greeting(name: string): string {
  const first = name.trim().split(/\s+/)[0];
  return first ? `Hi ${first},` : "Hi,";
}

export function invitationEmail(args: {
  name: string;
  inviterName: string | null;
  link: string;
  expiresAt: Date;
}): Email {
  const who = args.inviterName ? `${args.inviterName} invited you` : "You have been invited";
  return {
    subject: "You're invited to Roster",
    body: [
      greeting(args.name),
      "",
      `${who} to your workspace on Roster. Open this link to set your password and join:`,
      "",
      args.link,
      "",
      `The link works once and expires on ${formatDateTime(args.expiresAt)}.`,
      "If you weren't expecting this email, you can ignore it.",
    ].join("\n"),
  };
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
