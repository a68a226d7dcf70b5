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
  /** Several processes share rooms through this Redis (docs/deploy.md); unset runs one process alone. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://").optional(),
  /** With REDIS_URL: the same secret on every process; calls forwarded between them carry it. */
  CLUSTER_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** With REDIS_URL: the URL the other processes reach this one at (default http://127.0.0.1:PORT). */
  CLUSTER_ADDRESS: z.url({ protocol: /^https?$/ }).optional(),
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
  const env = result.data;
  if (env.REDIS_URL && !env.DATABASE_URL) throw new EnvError("REDIS_URL needs DATABASE_URL: processes sharing rooms share one PostgreSQL (the embedded database serves one process).");
  if (env.REDIS_URL && !env.CLUSTER_SECRET) throw new EnvError("REDIS_URL needs CLUSTER_SECRET: the same secret of 16 characters or more on every process.");
  return { ...env, DATA_DIR: path.resolve(env.DATA_DIR) };
}
