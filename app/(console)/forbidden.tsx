import { NoAccess } from "@/components/no-access";

/** What `forbidden()` renders, with HTTP 403: a page this role may not see. */
export default function Forbidden() {
  return <NoAccess />;
}
