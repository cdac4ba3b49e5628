import { scimProblem } from "./protocol";

/*
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5): which attributes of a resource an
 * answer carries. `schemas` and `id` are always returned; names are case-insensitive and may
 * carry the core User schema's URN; a sub-attribute ("name.givenName") keeps just that part.
 */

const URN = "urn:ietf:params:scim:schemas:core:2.0:user:";
const ALWAYS = new Set(["schemas", "id"]);
const MAX_LENGTH = 1000;

export type Projection = { mode: "include" | "exclude"; paths: string[][] } | null;

function pathsOf(list: string): string[][] {
  if (list.length > MAX_LENGTH) throw scimProblem.invalidValue("That attribute list is too long.");
  return list
    .split(",")
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
    .map((p) => (p.startsWith(URN) ? p.slice(URN.length) : p).split("."));
}

/** The projection a query asks for; both parameters at once is a bad request. */
export function projectionOf(params: URLSearchParams): Projection {
  const include = params.get("attributes");
  const exclude = params.get("excludedAttributes");
  if (include && exclude) {
    throw scimProblem.invalidValue("Use attributes or excludedAttributes, not both.");
  }
  if (include) return { mode: "include", paths: pathsOf(include) };
  if (exclude) return { mode: "exclude", paths: pathsOf(exclude) };
  return null;
}

function keyOf(object: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(object).find((k) => k.toLowerCase() === name);
}

/** The resource as the projection shows it. */
export function project<T extends object>(resource: T, projection: Projection): Partial<T> {
  if (!projection) return resource;
  const source = resource as Record<string, unknown>;
  if (projection.mode === "exclude") {
    const out: Record<string, unknown> = { ...source };
    for (const [top, sub] of projection.paths) {
      const key = top ? keyOf(out, top) : undefined;
      if (!key || ALWAYS.has(key)) continue;
      const value = out[key];
      if (sub && value && typeof value === "object" && !Array.isArray(value)) {
        const inner = { ...(value as Record<string, unknown>) };
        const subKey = keyOf(inner, sub);
        if (subKey) delete inner[subKey];
        out[key] = inner;
      } else if (!sub) {
        delete out[key];
      }
    }
    return out as Partial<T>;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) if (ALWAYS.has(key)) out[key] = source[key];
  for (const [top, sub] of projection.paths) {
    const key = top ? keyOf(source, top) : undefined;
    if (!key) continue;
    const value = source[key];
    if (sub && value && typeof value === "object" && !Array.isArray(value)) {
      const subKey = keyOf(value as Record<string, unknown>, sub);
      if (!subKey) continue;
      const kept = (out[key] as Record<string, unknown> | undefined) ?? {};
      out[key] = { ...kept, [subKey]: (value as Record<string, unknown>)[subKey] };
    } else {
      out[key] = value;
    }
  }
  return out as Partial<T>;
}
