// Helpers for hat integration tests: hat snapshots on top of the room test kit's clients.
import type { Ack } from "../../../server/protocol/room-protocol.ts";
import { HAT_EVENTS, type HatAck, type HatSnapshot, type PlayerHatSnapshot, type StaffHatSnapshot } from "../../../contract/protocol/hat.ts";
import { waitUntil } from "../../support/wait-until.ts";
import type { RoomClient } from "../rooms/room-test-kit.ts";

export interface HatWatcher {
  latest: HatSnapshot | null;
  waitFor<S extends HatSnapshot>(test: (s: S) => boolean, timeoutMs?: number): Promise<S>;
}

/** Keeps the newest hat snapshot a client received; `sync` also asks for one now. */
export function watchHat(client: RoomClient, options: { sync?: boolean } = {}): HatWatcher {
  const waiters = new Set<() => void>();
  const watcher: HatWatcher = {
    latest: null,
    waitFor<S extends HatSnapshot>(test: (s: S) => boolean, timeoutMs = 30_000): Promise<S> {
      const check = () => (watcher.latest && test(watcher.latest as S) ? (watcher.latest as S) : null);
      return waitUntil(waiters, check, timeoutMs, () => `a hat snapshot; latest: ${JSON.stringify(watcher.latest)?.slice(0, 400)}`);
    },
  };
  const accept = (s: HatSnapshot) => {
    if (watcher.latest && s.seq < watcher.latest.seq) return;
    watcher.latest = s;
    for (const w of [...waiters]) w();
  };
  client.socket.on(HAT_EVENTS.snapshot, accept);
  if (options.sync) {
    void (client.socket.timeout(30_000).emitWithAck(HAT_EVENTS.sync, {}) as Promise<HatAck<HatSnapshot>>).then((r) => r.ok && accept(r.data), () => undefined);
  }
  return watcher;
}

export async function hatOk<T>(ack: Promise<Ack<T> | HatAck<T>>): Promise<T> {
  const result = await ack;
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.data;
}

export const isPlayer = (s: HatSnapshot): s is PlayerHatSnapshot => s.viewer === "player";
export const isStaff = (s: HatSnapshot): s is StaffHatSnapshot => s.viewer !== "player";

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
