"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import type { UserRole, UserStatus } from "@/db/schema";
import type { Person } from "@/lib/users/permissions";
import { ActionFlow, type FlowRequest } from "./action-flow";
import { actionsForRow } from "./available-actions";
import { RowActionsMenu } from "./row-actions-menu";

/** The users table's row menu and dialogs, for one user (the user detail page). */
export function UserActions({
  actor,
  user,
}: {
  actor: Person;
  user: { id: string; name: string; role: UserRole; status: UserStatus };
}) {
  const router = useRouter();
  const [request, setRequest] = useState<FlowRequest | null>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const requests = useRef(0);
  return (
    <div ref={wrapperRef} tabIndex={-1} className="outline-none">
      <RowActionsMenu
        look="button"
        name={user.name}
        actions={actionsForRow(actor, user)}
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
          fallbackFocus={wrapperRef}
          onClosed={() => setRequest(null)}
          onDone={() => {
            // A deleted user has no page any more.
            if (request.action === "delete") router.push("/users");
          }}
          refresh={() => router.refresh()}
        />
      ) : null}
    </div>
  );
}
