import { randomUUID } from "node:crypto";

/**
 * A request id a proxy may set (hex and dashes: a UUID, nginx's $request_id), else one of our
 * own. Audit events keep it for good, so it must be unable to carry a name or an address.
 */
const REQUEST_ID = /^[0-9a-f][0-9a-f-]{7,63}$/i;

/** The given id when it is plainly an id, else a new one. */
export function acceptedRequestId(given: string | null | undefined): string {
  return typeof given === "string" && REQUEST_ID.test(given) ? given.toLowerCase() : randomUUID();
}

export function requestIdFrom(h: Headers): string {
  return acceptedRequestId(h.get("x-request-id"));
}

/**
 * The header the server itself sets on every request to the socket's peer address (lib/ops/http.ts),
 * over whatever the client sent under that name: the one address a client can't choose.
 */
export const PEER_HEADER = "x-roster-peer";
