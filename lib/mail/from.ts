/**
 * A sender address as a mail header takes it: `roster@example.com` or
 * `Roster <roster@example.com>`. No line break, quote, comma or angle bracket in the name (no
 * header can be smuggled in), and an address with one @ and a dotted domain.
 */
const ADDRESS = String.raw`[^\s<>@,;:\\"]+@[^\s<>@,;:\\"]+\.[^\s<>@,;:\\".]+`;
const MAIL_FROM = new RegExp(String.raw`^(?:[^\r\n"<>@,;:\\]{1,100}<${ADDRESS}>|${ADDRESS})$`);

export function isMailFrom(value: string): boolean {
  return value.length <= 320 && MAIL_FROM.test(value);
}

export const MAIL_FROM_HINT =
  "an address like roster@example.com, or a name and an address: Roster <roster@example.com>";
