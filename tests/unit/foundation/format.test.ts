import { describe, expect, it } from "vitest";
import { formatJoint, formatProb, percentLabel, showToken } from "../../../app/_lib/format.ts";

describe("number formats shown to the class", () => {
  it.each([
    [0.7373, "73.7%"],
    [0.05, "5.00%"],
    [0.00039, "0.039%"],
    [1.2e-5, "0.0012%"],
    [3e-9, "3.0 × 10⁻⁹"],
    [0, "0%"],
  ])("formatProb(%f) = %s", (p, text) => expect(formatProb(p)).toBe(text));

  it("keeps a joint probability readable after it underflows a double", () => {
    expect(formatJoint(200 * Math.log2(0.95))).toBe("0.0035%");
    expect(formatJoint(-2000)).toBe("8.7 × 10⁻⁶⁰³");
  });

  it("never labels a real chance as 0", () => {
    expect(percentLabel(0.001)).toBe("<1");
    expect(percentLabel(0.5)).toBe("50");
  });

  it("shows a leading space as a visible mark", () => {
    expect(showToken(" Bourne")).toBe("␣Bourne");
  });
});
