"use client";
// Instructors open a live workshop session: a title, a model, and optional prepared prompts.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { CreatedSession, SessionOptions } from "@/contract/http/sessions";
import { api } from "../_lib/api-client";
import { ErrorNote, Field, PrimaryButton } from "./form-bits";

export function NewSessionForm() {
  const router = useRouter();
  const [options, setOptions] = useState<SessionOptions | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api<SessionOptions>("GET", "/api/sessions/options").then((r) => (r.ok ? setOptions(r.data) : undefined));
  }, []);

  async function create(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const prompts = String(data.get("prompts") ?? "")
      .split("\n")
      .map((p) => p.trim())
      .filter(Boolean);
    setBusy(true);
    const r = await api<{ session: CreatedSession }>("POST", "/api/sessions", { title: data.get("title"), model: data.get("model") || undefined, prompts, planId: data.get("planId") || undefined });
    setBusy(false);
    if (!r.ok) {
      setError(r.message);
      setFieldErrors(r.fields ?? {});
      return;
    }
    router.push(`/host/${r.data.session.code}`);
  }

  return (
    <section aria-labelledby="new-session-heading" className="rounded-2xl border-2 border-hat-400 p-5">
      <h2 id="new-session-heading" className="text-2xl font-bold">
        Start a live session
      </h2>
      <form onSubmit={create} className="mt-4 grid gap-4" noValidate>
        <Field label="Title" name="title" required placeholder="How a language model writes" error={fieldErrors.title} />
        <label className="block">
          <span className="mb-1 block text-base font-semibold text-slate-200">Model</span>
          {options && options.models.length === 0 ? <p className="mb-2 text-base text-amber-300">No model is loaded yet; check the server&apos;s health page.</p> : null}
          <select name="model" key={options?.defaultModel ?? ""} defaultValue={options?.defaultModel ?? ""} className="h-14 w-full rounded-xl border-2 border-slate-600 bg-slate-900 px-4 text-lg">
            {(options?.models ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.kind})
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="mb-1 block text-base font-semibold text-slate-200">Lesson plan</span>
          <select name="planId" key={options ? "loaded" : "loading"} defaultValue={options?.plans[0]?.id ?? ""} className="h-14 w-full rounded-xl border-2 border-slate-600 bg-slate-900 px-4 text-lg">
            <option value="">None: I drive it myself</option>
            {(options?.plans ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.title} ({p.steps} steps{p.builtIn ? ", built in" : ""})
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="mb-1 block text-base font-semibold text-slate-200">Prepared prompts (optional, one per line)</span>
          <textarea
            name="prompts"
            rows={4}
            className="w-full rounded-xl border-2 border-slate-600 bg-slate-900 px-4 py-2 text-lg"
            placeholder={"Once upon a\nAlbert Einstein was a\nBlake Bourne was a"}
          />
        </label>
        <ErrorNote message={error} />
        <PrimaryButton type="submit" busy={busy}>
          Create the room
        </PrimaryButton>
      </form>
    </section>
  );
}
