// Where rate limits keep their counts: this process's memory by default, Redis when several
// processes serve one school (server/cluster), so a limit holds whichever process a request reaches.
import { RateLimiterMemory, type RateLimiterAbstract } from "rate-limiter-flexible";

export interface LimiterOptions {
  /** Distinct per limit: limits sharing a store must not share counts. */
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration?: number;
}

export type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);
