import { describe, expect, it } from "vitest";
import { tableCsv } from "../../../server/session/session-review.ts";

describe("CSV exports", () => {
  it("neutralise every cell a spreadsheet would run as a formula, even with a U+2028 line separator inside", () => {
    const cells = ['=HYPERLINK("http://x.test/","Click me")\u2028', "+1", "-2", "@A1", "\tx", "\rx", "=1\u2029", "plain", "a=b"];
    const csv = tableCsv({ name: "t", columns: ["v"], rows: cells.map((c) => [c]) });
    const lines = csv.replace(/^\uFEFF/, "");
    for (const c of cells.slice(0, 7)) expect(lines).toContain(`'${c.replace(/"/g, '""')}`);
    expect(lines).toContain("\nplain");
    expect(lines).toContain("a=b");
  });
});
