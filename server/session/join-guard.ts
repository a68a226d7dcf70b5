// Limits what one address can do without locking a school out. A whole school sits behind one NAT
// address, so nothing here counts phones that find their room: only wrong codes (room-code
// guessing) and joins into one room (ballot stuffing) are limited, each with a ceiling a real class
// never reaches. A correct code always connects, so a reconnect storm after a restart goes through.
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { memoryLimiters, type LimiterFactory } from "./limiters.ts";

export interface JoinGuard {
  /** Records a wrong code from this address; true when it has now used up its misses. */
  recordMiss(address: string): Promise<boolean>;
  /** True while this address may not look up unknown codes. */
  isBlocked(address: string): Promise<boolean>;
  /** Records a new participant joining `code` from this address; false when over the ceiling. */
  allowJoin(address: string, code: string): Promise<boolean>;
}

export interface JoinGuardOptions {
  /** Wrong codes one address may send in ten minutes (a school of 300 phones, each mistyping twice, stays under). */
  missesPer10Min: number;
  blockSeconds: number;
  /** New participants one address may add to one room in ten minutes. */
  joinsPerRoomPer10Min: number;
}

export const DEFAULT_JOIN_GUARD: JoinGuardOptions = { missesPer10Min: 600, blockSeconds: 300, joinsPerRoomPer10Min: 400 };

export function createJoinGuard(options: Partial<JoinGuardOptions> = {}, limiters: LimiterFactory = memoryLimiters): JoinGuard {
  const o = { ...DEFAULT_JOIN_GUARD, ...options };
  const misses = limiters({ keyPrefix: "room-code-miss", points: o.missesPer10Min, duration: 600, blockDuration: o.blockSeconds });
  const joins = limiters({ keyPrefix: "room-join", points: o.joinsPerRoomPer10Min, duration: 600 });
  const consumed = (limiter: RateLimiterAbstract, key: string) =>
    limiter.consume(key).then(
      () => true,
      () => false,
    );
  return {
    async isBlocked(address) {
      const res = await misses.get(address);
      return res !== null && res.consumedPoints > o.missesPer10Min;
    },
    async recordMiss(address) {
      return !(await consumed(misses, address));
    },
    allowJoin: (address, code) => consumed(joins, `${address}|${code}`),
  };
}
