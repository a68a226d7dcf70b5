import { describe, expect, it } from "vitest";
import { normalizeRoomCode, roomCodeSchema, ROOM_CODE_ALPHABET } from "../../../contract/protocol/session.ts";
import { generateRoomCode } from "../../../server/session/room-code.ts";
import { seededRng } from "../../support/seeded-rng.ts";


describe("room codes", () => {
  it("the alphabet has no look-alikes: 0/O, 1/I/L, 5/S, 2/Z, 8/B", () => {
    for (const ch of "0O1IL5S2Z8B") expect(ROOM_CODE_ALPHABET).not.toContain(ch);
    expect(new Set(ROOM_CODE_ALPHABET).size).toBe(ROOM_CODE_ALPHABET.length);
  });

  it("generates 6 characters from the alphabet, using every character over many draws", () => {
    const rng = seededRng(42);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateRoomCode(rng);
      expect(code).toMatch(new RegExp(`^[${ROOM_CODE_ALPHABET}]{6}$`));
      for (const ch of code) seen.add(ch);
    }
    expect(seen.size).toBe(ROOM_CODE_ALPHABET.length);
  });

  it("stays inside the alphabet even when rng returns values near 1", () => {
    expect(generateRoomCode(() => 0.9999999999)).toBe(ROOM_CODE_ALPHABET.at(-1)!.repeat(6));
  });

  it("accepts typed codes in lower case with spaces or dashes, and rejects look-alikes", () => {
    expect(normalizeRoomCode(" 7kq-4mx ")).toBe("7KQ4MX");
    expect(roomCodeSchema.safeParse("7kq 4mx").success).toBe(true);
    expect(roomCodeSchema.safeParse("7KQ4M0").success).toBe(false);
    expect(roomCodeSchema.safeParse("7KQ4M").success).toBe(false);
  });
});
