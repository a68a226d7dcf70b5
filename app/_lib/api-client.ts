// Calls the server's JSON API and always resolves to an ApiResult, never throws.
import { apiErrorText, type ApiResult } from "@/contract/http/accounts";

export async function api<T>(method: "GET" | "POST" | "PUT" | "DELETE", url: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    const json = (await res.json().catch(() => null)) as ApiResult<T> | null;
    if (json && typeof json === "object" && "ok" in json) return json;
    return { ok: false, code: "internal", message: `The server answered ${res.status}.` };
  } catch {
    return { ok: false, code: "internal", message: "Cannot reach the server. Check your connection and try again." };
  }
}

export { apiErrorText };
