import { describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER } from "./throttle";

describe("the client's address for the per-address sign-in limit", () => {
  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    for (const forwarded of ["198.51.100.7", "10.0.0.1, 198.51.100.7", "victim"]) {
      const h = new Headers({ "x-forwarded-for": forwarded, [PEER_HEADER]: "::ffff:192.0.2.44" });
      expect(clientAddress(h, 0)).toBe("192.0.2.44");
    }
  });

  it("behind N trusted proxies, is the entry N hops from the right (the peer is the last proxy)", () => {
    // The client sent a spoofed entry; the one proxy appended what it saw.
    const h = new Headers({
      "x-forwarded-for": "203.0.113.66, 198.51.100.7",
      [PEER_HEADER]: "10.0.0.2",
    });
    expect(clientAddress(h, 1)).toBe("198.51.100.7");
    expect(clientAddress(h, 2)).toBe("203.0.113.66");
    // Fewer entries than trusted hops: the farthest one there is, never a made-up default.
    expect(clientAddress(h, 5)).toBe("203.0.113.66");
  });

  it("without the peer (no socket seen) is 'unknown', never the client's header", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "198.51.100.7" }), 0)).toBe("unknown");
  });
});
