// Slows down guessing room codes: each address may miss a limited number of times per minute.
// Only misses count, so a whole class behind one school NAT can still join at once.
import { RateLimiterMemory } from "rate-limiter-flexible";

export interface JoinGuard {
  /** True while this address has used up its misses. */
  isBlocked(address: string): Promise<boolean>;
  /** Records a miss (unknown or malformed code); resolves to true when the address is now blocked. */
  recordMiss(address: string): Promise<boolean>;
}

export interface JoinGuardOptions {
  missesPerMinute: number;
  blockSeconds: number;
}

export function createJoinGuard(options: JoinGuardOptions = { missesPerMinute: 20, blockSeconds: 60 }): JoinGuard {
  const misses = new RateLimiterMemory({ keyPrefix: "room-code-miss", points: options.missesPerMinute, duration: 60, blockDuration: options.blockSeconds });
  return {
    async isBlocked(address) {
      const res = await misses.get(address);
      return res !== null && res.consumedPoints > options.missesPerMinute;
    },
    async recordMiss(address) {
      try {
        await misses.consume(address);
        return false;
      } catch {
        return true;
      }
    },
  };
}
