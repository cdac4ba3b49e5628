"use client";

import { useRouter } from "next/navigation";
import { useLifecycleRules } from "@/components/lifecycle-rules";
import type { UserRole, UserStatus } from "@/db/schema";
import { ActionFlowHost, useActionFlow } from "../components/action-flow-host";
import { actionsForRow } from "../components/available-actions";
import { RowActionsMenu } from "../components/row-actions-menu";

type Props = {
  actor: { id: string; role: UserRole };
  user: { id: string; name: string; role: UserRole; status: UserStatus };
};

/** The users table's row menu and dialogs, for the one user of the detail page. */
export function UserActions({ actor, user }: Props) {
  const router = useRouter();
  const rules = useLifecycleRules();
  return (
    <ActionFlowHost
      role={actor.role}
      onDone={(request) => {
        // A deleted user has no page left: go back to the list.
        if (rules[request.action].to === null) router.push("/users");
      }}
    >
      <UserMenu actor={actor} user={user} />
    </ActionFlowHost>
  );
}

function UserMenu({ actor, user }: Props) {
  const rules = useLifecycleRules();
  const { openFlow, fallbackFocus } = useActionFlow();
  return (
    <div
      ref={(element) => {
        fallbackFocus.current = element;
      }}
      tabIndex={-1}
      className="flex items-center gap-2 outline-none"
    >
      <RowActionsMenu
        name={user.name}
        actions={actionsForRow(rules, actor, user)}
        onAction={(action, trigger) =>
          openFlow({
            action,
            selection: { kind: "ids", targets: [{ id: user.id, expectedStatus: user.status }] },
            count: 1,
            onlyName: user.name,
            trigger,
          })
        }
      />
    </div>
  );
}
