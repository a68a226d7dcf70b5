// The model registry file: which models the server offers, and which one is the default.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { ModelEntry } from "./worker-protocol.ts";

const registrySchema = z
  .object({
    default: z.string().min(1).optional(),
    models: z
      .array(
        z.object({
          id: z.string().regex(/^[A-Za-z0-9._-]+$/, "ids use letters, digits, '.', '_' and '-'"),
          name: z.string().min(1),
          kind: z.enum(["base", "instruct"]),
          path: z.string().min(1),
          file: z.string().min(1).optional(),
        }),
      )
      .min(1, "the registry lists no models"),
  })
  .superRefine((registry, ctx) => {
    const ids = registry.models.map((m) => m.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) ctx.addIssue({ code: "custom", message: `model id "${duplicate}" appears twice`, path: ["models"] });
    if (registry.default && !ids.includes(registry.default)) {
      ctx.addIssue({ code: "custom", message: `default "${registry.default}" is not one of the models`, path: ["default"] });
    }
  });

export interface Registry {
  defaultModel: string;
  models: ModelEntry[];
}

export class RegistryError extends Error {
  override name = "RegistryError";
}

/** Parses registry JSON; relative model paths are resolved against `baseDir` (the file's folder). */
export function parseRegistry(json: unknown, baseDir: string): Registry {
  const result = registrySchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
    throw new RegistryError(`The model registry is invalid${where}: ${issue?.message ?? "unknown problem"}.`);
  }
  const models = result.data.models.map((m) => ({ ...m, path: path.resolve(baseDir, m.path) }));
  return { defaultModel: result.data.default ?? models[0]!.id, models };
}

export function loadRegistry(registryPath: string): Registry {
  const file = path.resolve(registryPath);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new RegistryError(
      missing ? `The model registry ${file} does not exist; set MODEL_REGISTRY or add the bundled models.` : `The model registry ${file} cannot be read: ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RegistryError(`The model registry ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseRegistry(json, path.dirname(file));
}
