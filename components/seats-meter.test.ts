import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SeatsMeter } from "./seats-meter";

const text = (used: number, limit: number) =>
  renderToStaticMarkup(createElement(SeatsMeter, { used, limit })).replace(/<[^>]+>/g, "");

describe("the seats header", () => {
  it("groups its numbers like every other count", () => {
    expect(text(17_123, 150)).toContain("17,123 of 150 seats");
    expect(text(37, 50)).toBe("37 of 50 seats");
    expect(text(1_499, 1_500)).toContain("1,499 of 1,500 seats");
  });

  it("links a warning to the seat limit's setting, for those who may change it", () => {
    const html = (used: number, settingsHref?: string) =>
      renderToStaticMarkup(createElement(SeatsMeter, { used, limit: 50, settingsHref }));
    expect(html(50, "/settings#seats")).toContain('href="/settings#seats"');
    expect(html(48, "/settings#seats")).toContain("Change the seat limit");
    // No warning, no link; and nobody is sent where they may not go.
    expect(html(10, "/settings#seats")).not.toContain("href");
    expect(html(50)).not.toContain("href");
  });
});
