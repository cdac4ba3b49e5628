/**
 * Checks a server action's body before React decodes it, so that what it can't decode is a 400
 * here instead of a 500 there: the plain-text (JSON) encoding in full; a multipart body (forms)
 * as far as it can be without React: it must parse, and its root part, when it has one, must be
 * a JSON list of arguments.
 */

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_DEPTH = 64;

/** Deepest nesting of arrays and objects, outside strings, stopping as soon as it passes `max`. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

// React's reply encoding: "$$…" is a string that starts with "$"; these stand for a value on
// their own. Every other "$…" points at another part of a multipart body (blobs, maps, sets,
// streams, promises, form data, server references) that a plain-text body can't have.
const SELF_CONTAINED = /^\$(\$|undefined$|-0$|NaN$|Infinity$|-Infinity$|D|n-?\d+$)/;

function referencesMissingPart(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (v.startsWith("$") && !SELF_CONTAINED.test(v)) return true;
    } else if (Array.isArray(v)) {
      stack.push(...v);
    } else if (v !== null && typeof v === "object") {
      for (const [key, item] of Object.entries(v)) {
        // Keys are decoded too: "$…" keys are refused the same way.
        if (key.startsWith("$") && !key.startsWith("$$")) return true;
        stack.push(item);
      }
    }
  }
  return false;
}

/** Why a plain-text action body can't be decoded, or null when it can. */
export function actionBodyProblem(text: string): string | null {
  if (jsonDepthExceeds(text, MAX_DEPTH)) return "nested too deeply";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  // React's reply is always the list of the action's arguments.
  if (!Array.isArray(parsed)) return "not a list of arguments";
  if (referencesMissingPart(parsed)) return "refers to parts it does not have";
  return null;
}

/** Why a multipart action body can't be decoded, or null when it can. */
export async function multipartBodyProblem(
  body: Uint8Array<ArrayBuffer>,
  contentType: string,
): Promise<string | null> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    return "not readable multipart";
  }
  const root = form.get("0");
  if (root === null) return null; // a form posted as is (progressive enhancement)
  if (typeof root !== "string") return "a root part that is a file";
  let parsed: unknown;
  try {
    parsed = JSON.parse(root);
  } catch {
    return "a root part that is not JSON";
  }
  return Array.isArray(parsed) ? null : "a root part that is not a list of arguments";
}
