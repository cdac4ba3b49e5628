import { type ScimPatchOperation, type ScimResource, scimPatch } from "scim-patch";
import { SCHEMAS, scimProblem } from "./protocol";
import { changeFromPatched, type ScimUser, type UserChange } from "./resource";

/*
 * PATCH (RFC 7644 §3.5.2), as Okta and Microsoft Entra ID send it: `replace` with a value and no
 * path (Okta), capitalised ops and string booleans ("Replace", "False": Entra), paths such as
 * `name.givenName` and `emails[type eq "work"].value`. The operations are applied to the user's
 * SCIM representation by scim-patch; what changed is then read back (changeFromPatched).
 */

const MAX_OPERATIONS = 100;
const OPS = new Set(["add", "replace", "remove"]);

/** The operations of a PatchOp body, checked and with their `op` lower-cased. */
export function patchOperations(body: unknown): ScimPatchOperation[] {
  const message = body as { schemas?: unknown; Operations?: unknown } | null;
  if (!message || typeof message !== "object" || Array.isArray(message)) {
    throw scimProblem.invalidSyntax("The body must be a PatchOp message.");
  }
  if (!Array.isArray(message.schemas) || !message.schemas.includes(SCHEMAS.patchOp)) {
    throw scimProblem.invalidSyntax(`schemas must include ${SCHEMAS.patchOp}.`);
  }
  const operations = message.Operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw scimProblem.invalidSyntax("Operations must be a list of at least one operation.");
  }
  if (operations.length > MAX_OPERATIONS) {
    throw scimProblem.invalidSyntax(`Send at most ${MAX_OPERATIONS} operations at once.`);
  }
  return operations.map((raw, i) => {
    const o = raw as { op?: unknown; path?: unknown; value?: unknown } | null;
    if (!o || typeof o !== "object" || typeof o.op !== "string") {
      throw scimProblem.invalidSyntax(`Operation ${i + 1} has no op.`);
    }
    const op = o.op.toLowerCase();
    if (!OPS.has(op)) {
      throw scimProblem.invalidSyntax(`Operation ${i + 1}: op is add, replace or remove.`);
    }
    if (o.path !== undefined && typeof o.path !== "string") {
      throw scimProblem.invalidPath(`Operation ${i + 1}: path must be a string.`);
    }
    if (op === "remove" && !o.path) {
      throw scimProblem.invalidSyntax(`Operation ${i + 1}: remove needs a path.`);
    }
    if (op !== "remove" && !("value" in o)) {
      throw scimProblem.invalidSyntax(`Operation ${i + 1}: ${op} needs a value.`);
    }
    return { ...o, op } as ScimPatchOperation;
  });
}

/** What the operations change of this user; a path that can't be applied is a 400. */
export function changeFromPatch(before: ScimUser, operations: ScimPatchOperation[]): UserChange {
  let after: ScimResource;
  try {
    after = scimPatch(before as unknown as ScimResource, operations, {
      mutateDocument: false,
      treatMissingAsAdd: true,
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 300) : "";
    throw scimProblem.invalidPath(`The operations can't be applied: ${detail}`);
  }
  return changeFromPatched(before, after as unknown as Record<string, unknown>);
}
