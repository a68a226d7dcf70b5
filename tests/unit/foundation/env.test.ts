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
  ])("rejects %s=%s with a message naming the variable", (name, value) => {
    expect(() => loadEnv({ [name]: value })).toThrow(EnvError);
    expect(() => loadEnv({ [name]: value })).toThrow(new RegExp(`^Invalid ${name}=`));
  });

  it("parses a provider list in order", () => {
    expect(loadEnv({ INFERENCE_PROVIDERS: " webgpu , cpu" }).INFERENCE_PROVIDERS).toEqual(["webgpu", "cpu"]);
  });
});
