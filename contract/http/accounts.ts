// Request bodies of the account API, shared by the pages and the server. No server imports here.
import { z } from "zod";

export const roleSchema = z.enum(["instructor", "facilitator"]);
export const emailSchema = z.email("Enter a valid email address.").max(200).transform((e) => e.trim().toLowerCase());
export const passwordSchema = z.string().min(8, "Use at least 8 characters.").max(200, "Use at most 200 characters.");
export const personNameSchema = z.string().trim().min(1, "Enter a name.").max(60, "Use at most 60 characters.");

export const setupBody = z.object({ token: z.string().min(1).max(200), email: emailSchema, name: personNameSchema, password: passwordSchema });
export const signInBody = z.object({ email: emailSchema, password: z.string().min(1).max(200) });
export const addAccountBody = z.object({
  email: emailSchema,
  name: personNameSchema,
  role: roleSchema,
  /** With a password the account is created at once; without, an invite link is made. */
  password: passwordSchema.optional(),
});
export const acceptInviteBody = z.object({ token: z.string().min(1).max(200), password: passwordSchema });

/** Stable error codes of the HTTP API; the pages turn them into sentences. */
export const apiErrorText = {
  bad_request: "Some fields are missing or invalid.",
  malformed_request: "The request could not be read: check its URL encoding and its JSON body.",
  payload_too_large: "The request body is too large.",
  unsupported_encoding: "The request body uses a character set or compression the server does not accept; send plain UTF-8 JSON.",
  unauthorized: "Please sign in first.",
  forbidden: "Your role cannot do that.",
  bad_credentials: "That email and password do not match an account.",
  rate_limited: "Too many attempts. Wait a few minutes and try again.",
  setup_done: "Setup is already done. Sign in instead.",
  setup_token_invalid: "This setup link is not valid. Use the link the server printed when it started.",
  email_taken: "An account with that email already exists.",
  invite_invalid: "This invite link has expired or was already used.",
  room_not_found: "No room has that code. Check the code on the projector.",
  index_unavailable: "The training-data index is not ready (still building, or no training text is installed).",
  not_found: "Not found.",
  internal: "Something went wrong on the server.",
} as const;

export type ApiErrorCode = keyof typeof apiErrorText;
export type ApiResult<T> = { ok: true; data: T } | { ok: false; code: ApiErrorCode; message: string; fields?: Record<string, string> };
