import { createHash, randomBytes } from "node:crypto";

/** A random URL-safe secret for cookies and one-time links. */
export const newSecret = (): string => randomBytes(24).toString("base64url");

/** Secrets are stored only as their SHA-256, so a database leak does not leak live sessions. */
export const secretId = (secret: string): string => createHash("sha256").update(secret).digest("base64url");
