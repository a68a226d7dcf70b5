import { describe, expect, it } from "vitest";
import { joinBase, joinUrlFor, lanIPv4, qrSvg } from "../../../server/session/join-link.ts";

describe("join links", () => {
  it.each([
    ["PUBLIC_URL wins over the request", "http://localhost:3000", "https://hat.example.org/", "10.0.0.7", "https://hat.example.org"],
    ["a localhost request is swapped for the LAN address so phones can reach it", "http://localhost:3000", undefined, "192.168.1.20", "http://192.168.1.20:3000"],
    ["127.0.0.1 is swapped too", "http://127.0.0.1:3000", undefined, "192.168.1.20", "http://192.168.1.20:3000"],
    ["a real host name is kept", "http://laptop.local:3000", undefined, "192.168.1.20", "http://laptop.local:3000"],
    ["without a network, localhost stays", "http://localhost:3000", undefined, null, "http://localhost:3000"],
  ] as const)("%s", (_rule, request, publicUrl, lan, expected) => {
    expect(joinBase(request, publicUrl, lan)).toBe(expected);
  });

  it("the join URL ends in /join/<CODE>", () => expect(joinUrlFor("http://192.168.1.20:3000", "7KQ4MX")).toBe("http://192.168.1.20:3000/join/7KQ4MX"));

  it("picks the first non-internal IPv4 address", () => {
    const fake = {
      lo: [{ address: "127.0.0.1", family: "IPv4", internal: true }],
      eth0: [
        { address: "fe80::1", family: "IPv6", internal: false },
        { address: "10.1.2.3", family: "IPv4", internal: false },
      ],
    } as unknown as Parameters<typeof lanIPv4>[0];
    expect(lanIPv4(fake)).toBe("10.1.2.3");
  });

  it("draws the QR code as SVG", async () => {
    expect(await qrSvg("http://192.168.1.20:3000/join/7KQ4MX")).toMatch(/^<svg[^>]*viewBox/);
  });
});
