"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { useLifecycleRules } from "@/components/lifecycle-rules";
import type { UserRole, UserStatus } from "@/db/schema";
import { ActionFlow, type FlowRequest } from "../components/action-flow";
import { actionsForRow } from "../components/available-actions";
import { RowActionsMenu } from "../components/row-actions-menu";

/** The users table's row menu and dialogs, for the one user of the detail page. */
export function UserActions({
  actor,
  user,
}: {
  actor: { id: string; role: UserRole };
  user: { id: string; name: string; role: UserRole; status: UserStatus };
}) {
  const router = useRouter();
  const rules = useLifecycleRules();
  const [request, setRequest] = useState<FlowRequest | null>(null);
  const requests = useRef(0);
  const regionRef = useRef<HTMLDivElement>(null);

  return (
    <div ref={regionRef} tabIndex={-1} className="flex items-center gap-2 outline-none">
      <RowActionsMenu
        name={user.name}
        actions={actionsForRow(rules, actor, user)}
        onAction={(action, trigger) => {
          requests.current += 1;
          setRequest({
            key: requests.current,
            action,
            selection: { kind: "ids", targets: [{ id: user.id, expectedStatus: user.status }] },
            count: 1,
            onlyName: user.name,
            trigger,
          });
        }}
      />
      {request ? (
        <ActionFlow
          key={request.key}
          request={request}
          role={actor.role}
          fallbackFocus={regionRef}
          onClosed={() => setRequest(null)}
          onDone={() => {
            // A deleted user has no page left: go back to the list.
            if (rules[request.action].to === null) router.push("/users");
          }}
        />
      ) : null}
    </div>
  );
}
