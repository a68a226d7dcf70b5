// Every environment variable the server reads, validated once at start-up.
import path from "node:path";
import { z } from "zod";

const portSchema = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: portSchema.default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  DATA_DIR: z.string().min(1).default("data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** "pretty": lines a person reads in a terminal; "json": one JSON object a line, for log collectors; "auto": pretty on a terminal. */
  LOG_FORMAT: z.enum(["auto", "pretty", "json"]).default("auto"),
  MODEL_REGISTRY: z.string().min(1).default("models/registry.json"),
  INFERENCE_PROVIDERS: z
    .string()
    .default("cuda,webgpu,cpu")
    .transform((value) => value.split(",").map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.enum(["cuda", "webgpu", "cpu"])).min(1)),
  TRAINING_DATA: z.string().min(1).default("models/training-data/corpus.txt.gz"),
  INFERENCE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  INFERENCE_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  /** Most phones one room admits. */
  ROOM_CAPACITY: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Sessions older than this many days are deleted with all their students' data; unset keeps them. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

/** Parses the environment; a bad value throws an EnvError whose message names the variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    throw new EnvError(`Invalid ${name}=${JSON.stringify(cleaned[name] ?? "")}: ${issue?.message ?? "invalid"}`);
  }
  return { ...result.data, DATA_DIR: path.resolve(result.data.DATA_DIR) };
}
