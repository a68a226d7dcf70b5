// Statistics for hat integration tests, and the seeded rng they give the server.
/** Chi-square goodness of fit with bins pooled until each expects at least `minExpected`. */
export function chiSquare(observed: number[], expected: number[], minExpected = 5): { chi2: number; df: number } {
  const bins: { o: number; e: number }[] = [];
  let o = 0;
  let e = 0;
  const order = expected.map((_, i) => i).sort((a, b) => expected[b]! - expected[a]!);
  for (const i of order) {
    o += observed[i]!;
    e += expected[i]!;
    if (e >= minExpected) {
      bins.push({ o, e });
      o = 0;
      e = 0;
    }
  }
  if (e > 0 || o > 0) {
    const last = bins.pop() ?? { o: 0, e: 0 };
    bins.push({ o: last.o + o, e: last.e + e });
  }
  const chi2 = bins.reduce((acc, b) => acc + (b.o - b.e) ** 2 / b.e, 0);
  return { chi2, df: bins.length - 1 };
}

/** Upper 0.1% points of the chi-square distribution, by degrees of freedom. */
export const CHI2_999 = [0, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88, 29.59, 31.26, 32.91, 34.53, 36.12, 37.7];

/** A seeded uniform [0, 1) source, so the server's draw seeds are the same every run. */
export { mulberry as seededRng } from "../../support/seeded-probs.ts";
