// Room codes: short, easy to read aloud and to type on a phone.
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from "../../contract/protocol/limits.ts";

/** A random code from the look-alike-free alphabet; `rng` returns uniform numbers in [0, 1). */
export function generateRoomCode(rng: () => number): string {
  let code = "";
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) {
    code += ROOM_CODE_ALPHABET[Math.floor(rng() * ROOM_CODE_ALPHABET.length)] ?? ROOM_CODE_ALPHABET[0];
  }
  return code;
}
