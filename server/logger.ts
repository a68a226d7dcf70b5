import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, pretty: boolean): Logger {
  return pino({
    level,
    base: undefined,
    transport: pretty ? { target: "pino-pretty", options: { colorize: true, ignore: "pid,hostname" } } : undefined,
  });
}
