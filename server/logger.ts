import { pino, type Logger } from "pino";

export type { Logger };

/** Pretty: "12:03:04 INFO: Token Hat listening on …", for a teacher's terminal; otherwise JSON lines for servers. */
export function createLogger(level: string, pretty: boolean): Logger {
  return pino({
    level,
    base: undefined,
    transport: pretty ? { target: "pino-pretty", options: { colorize: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss", singleLine: true } } : undefined,
  });
}
