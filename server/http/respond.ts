import type { Request, Response } from "express";
import type { z } from "zod";
import { apiErrorText, type ApiErrorCode } from "../../contract/http/accounts.ts";
import { errorText, isErrorCode } from "../../contract/protocol/errors.ts";

const statusOf: Record<ApiErrorCode, number> = {
  bad_request: 400,
  malformed_request: 400,
  payload_too_large: 413,
  unsupported_encoding: 415,
  unauthorized: 401,
  forbidden: 403,
  bad_credentials: 401,
  rate_limited: 429,
  setup_done: 409,
  setup_token_invalid: 403,
  email_taken: 409,
  invite_invalid: 410,
  room_not_found: 404,
  index_unavailable: 503,
  not_found: 404,
  internal: 500,
};

export function sendOk<T>(res: Response, data: T, status = 200): void {
  res.status(status).json({ ok: true, data });
}

export function sendError(res: Response, code: ApiErrorCode, fields?: Record<string, string>): void {
  res.status(statusOf[code]).json({ ok: false, code, message: apiErrorText[code], ...(fields ? { fields } : {}) });
}

/**
 * Parses the JSON body; on failure answers 400 with a message per field and returns null. Fields are
 * dotted paths ("title", "steps.2.input.prompt"), so a form can put each message by its input;
 * messages that name an error code are written out.
 */
export function parseBody<S extends z.ZodType>(schema: S, req: Request, res: Response): z.infer<S> | null {
  const result = schema.safeParse(req.body ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
    fields[path] ??= isErrorCode(issue.message) ? errorText[issue.message] : issue.message;
  }
  sendError(res, "bad_request", fields);
  return null;
}
