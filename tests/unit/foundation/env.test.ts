import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "../../../server/env.ts";

describe("loadEnv", () => {
  it("uses the embedded defaults when nothing is set", () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3000, HOST: "0.0.0.0", LOG_LEVEL: "info", INFERENCE_PROVIDERS: ["cuda", "webgpu", "cpu"] });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.INFERENCE_THREADS).toBeUndefined();
    expect(loadEnv({ INFERENCE_THREADS: "3" }).INFERENCE_THREADS).toBe(3);
  });

  it("treats empty strings as unset", () => {
    expect(loadEnv({ PORT: "", DATABASE_URL: "" }).PORT).toBe(3000);
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x"],
    ["LOG_LEVEL", "loud"],
    ["PUBLIC_URL", "not a url"],
    ["INFERENCE_PROVIDERS", "tpu"],
    ["INFERENCE_TIMEOUT_MS", "5"],
    ["INFERENCE_THREADS", "0"],
    ["INFERENCE_THREADS", "two"],
    ["REDIS_URL", "http://127.0.0.1:6379"],
    ["CLUSTER_SECRET", "short"],
    ["CLUSTER_ADDRESS", "127.0.0.1:3001"],
  ])("rejects %s=%s with a message naming the variable", (name, value) => {
    expect(() => loadEnv({ [name]: value })).toThrow(EnvError);
    expect(() => loadEnv({ [name]: value })).toThrow(new RegExp(`^Invalid ${name}=`));
  });

  it("parses a provider list in order", () => {
    expect(loadEnv({ INFERENCE_PROVIDERS: " webgpu , cpu" }).INFERENCE_PROVIDERS).toEqual(["webgpu", "cpu"]);
  });

  it("runs one process alone without REDIS_URL, and several only on PostgreSQL with a shared secret", () => {
    expect(loadEnv({}).REDIS_URL).toBeUndefined();
    const db = "postgres://127.0.0.1/token_hat";
    expect(() => loadEnv({ REDIS_URL: "redis://127.0.0.1:6379", CLUSTER_SECRET: "a-secret-of-sixteen+" })).toThrow(/REDIS_URL needs DATABASE_URL/);
    expect(() => loadEnv({ REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: db })).toThrow(/REDIS_URL needs CLUSTER_SECRET/);
    const env = loadEnv({ REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: db, CLUSTER_SECRET: "a-secret-of-sixteen+", CLUSTER_ADDRESS: "http://10.0.0.2:3000" });
    expect(env).toMatchObject({ REDIS_URL: "redis://127.0.0.1:6379", CLUSTER_ADDRESS: "http://10.0.0.2:3000" });
  });
});
