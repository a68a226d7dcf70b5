// JSON columns are parsed with zod on the way out of the database, never cast: a row written by an
// older version, or edited by hand, fails loudly here instead of deep inside the rules.
import type { ZodType } from "zod";
import type { Prisma } from "./generated/client.ts";

export class CorruptRowError extends Error {
  override name = "CorruptRowError";
}

export function parseJson<T>(schema: ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CorruptRowError(`${where}: ${parsed.error.issues[0]?.message ?? "invalid"} at ${parsed.error.issues[0]?.path.join(".") ?? ""}`);
  return parsed.data;
}

export const json = (value: unknown) => value as Prisma.InputJsonValue;

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}

export const ms = (d: Date) => d.getTime();
export const msOrNull = (d: Date | null) => (d ? d.getTime() : null);
