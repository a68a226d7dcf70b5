"use client";
// Lesson plans: the built-in plan to copy, and the instructor's own plans to edit step by step.
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import type { SessionOptions } from "@/contract/http/sessions";
import type { LessonPlan, PlanBody, PlanStep } from "@/contract/protocol/lesson-plan";
import { ErrorNote, Field } from "../_components/form-bits";
import { newStep, StepEditor } from "../_components/plans/step-editor";
import { api } from "../_lib/api-client";
import { useAccount } from "../_lib/use-account";

const button = "h-12 rounded-xl border-2 border-slate-500 px-4 text-lg font-semibold hover:border-hat-400 disabled:opacity-50";
const primary = "h-12 rounded-xl bg-hat-400 px-5 text-lg font-bold text-ink hover:bg-hat-300 disabled:opacity-60";

interface Editing {
  /** null: not saved yet. */
  id: string | null;
  body: PlanBody;
  builtIn: boolean;
}

/** The messages of one step, with "steps.N." taken off their paths. */
function stepErrors(fields: Record<string, string>, index: number): Record<string, string> {
  const prefix = `steps.${index}.`;
  return Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])));
}

export default function PlansPage() {
  const account = useAccount();
  const [plans, setPlans] = useState<LessonPlan[] | null>(null);
  const [options, setOptions] = useState<SessionOptions | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const r = await api<{ plans: LessonPlan[] }>("GET", "/api/plans");
    if (r.ok) setPlans(r.data.plans);
    else setError(r.message);
  }, []);

  useEffect(() => {
    if (!account || account.role !== "instructor") return;
    void load();
    void api<SessionOptions>("GET", "/api/sessions/options").then((r) => (r.ok ? setOptions(r.data) : undefined));
  }, [account, load]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  if (account === undefined) return <main className="p-8 text-xl">Loading…</main>;
  if (account === null || account.role !== "instructor")
    return (
      <main className="mx-auto max-w-md p-8 text-xl">
        <p>Lesson plans are for instructors. Sign in with an instructor account.</p>
        <Link href="/signin" className="mt-4 inline-block font-semibold text-hat-300 underline">
          Sign in
        </Link>
      </main>
    );

  function open(next: Editing) {
    if (dirty && !window.confirm("Leave this plan without saving your changes?")) return;
    setEditing(next);
    setDirty(false);
    setFields({});
    setError(null);
    setSaved(null);
  }

  function change(body: PlanBody) {
    if (!editing) return;
    setEditing({ ...editing, body });
    setDirty(true);
    setSaved(null);
  }

  const setStep = (i: number, step: PlanStep) => editing && change({ ...editing.body, steps: editing.body.steps.map((s, j) => (j === i ? step : s)) });
  function move(i: number, by: -1 | 1) {
    if (!editing) return;
    const steps = [...editing.body.steps];
    const [s] = steps.splice(i, 1);
    steps.splice(i + by, 0, s!);
    change({ ...editing.body, steps });
  }
  const remove = (i: number) => editing && change({ ...editing.body, steps: editing.body.steps.filter((_, j) => j !== i) });
  const add = (i: number) => {
    if (!editing) return;
    const steps = [...editing.body.steps];
    steps.splice(i, 0, newStep("guess", options));
    change({ ...editing.body, steps });
  };

  async function save() {
    if (!editing) return;
    setBusy(true);
    const r = editing.id
      ? await api<{ plan: LessonPlan }>("PUT", `/api/plans/${encodeURIComponent(editing.id)}`, editing.body)
      : await api<{ plan: LessonPlan }>("POST", "/api/plans", editing.body);
    setBusy(false);
    if (!r.ok) {
      setError(r.fields ? "Some steps need fixing: see the red messages." : r.message);
      setFields(r.fields ?? {});
      return;
    }
    setEditing({ id: r.data.plan.id, body: r.data.plan.body, builtIn: false });
    setDirty(false);
    setFields({});
    setError(null);
    setSaved(`Saved at ${new Date().toLocaleTimeString()}. Choose it under “Lesson plan” when you start a session.`);
    void load();
  }

  async function destroy() {
    if (!editing?.id || !window.confirm(`Delete “${editing.body.title}”? Sessions that used it keep their record.`)) return;
    const r = await api("DELETE", `/api/plans/${encodeURIComponent(editing.id)}`);
    if (!r.ok) return setError(r.message);
    setEditing(null);
    setDirty(false);
    void load();
  }

  const readOnly = editing?.builtIn ?? false;
  return (
    <main className="mx-auto flex w-full max-w-4xl flex-col gap-6 px-5 py-8">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-3xl font-extrabold">Lesson plans</h1>
        <Link href="/dashboard" className="text-lg font-semibold text-hat-300 underline">
          Back to the dashboard
        </Link>
      </header>

      <section aria-labelledby="plan-list" className="rounded-2xl border-2 border-slate-600 p-5">
        <h2 id="plan-list" className="text-2xl font-bold">
          Your plans
        </h2>
        {plans === null ? <p className="mt-3 text-lg">Loading…</p> : null}
        <ul className="mt-3 grid gap-2">
          {(plans ?? []).map((p) => (
            <li key={p.id} className="flex flex-wrap items-center justify-between gap-3 rounded-xl bg-slate-800 px-4 py-3">
              <span className="text-lg">
                <strong>{p.title}</strong> · {p.steps} steps{p.builtIn ? " · built in" : ""}
              </span>
              <span className="flex gap-2">
                {p.builtIn ? (
                  <button className={button} onClick={() => open({ id: null, body: { ...p.body, title: `${p.title} (my copy)` }, builtIn: false })}>
                    Copy to edit
                  </button>
                ) : null}
                <button className={button} onClick={() => open({ id: p.builtIn ? null : p.id, body: p.body, builtIn: p.builtIn })}>
                  {p.builtIn ? "Read" : "Edit"}
                </button>
              </span>
            </li>
          ))}
        </ul>
        <button className={`${button} mt-4`} onClick={() => open({ id: null, body: { title: "My lesson plan", steps: [newStep("slide", options)] }, builtIn: false })}>
          New empty plan
        </button>
      </section>

      {editing ? (
        <section aria-labelledby="plan-editor" className="rounded-2xl border-2 border-hat-400 p-5">
          <h2 id="plan-editor" className="text-2xl font-bold">
            {readOnly ? "Built-in plan (copy it to change it)" : editing.id ? "Edit plan" : "New plan (not saved yet)"}
          </h2>
          <fieldset disabled={readOnly} className="mt-4 grid gap-5">
            <Field label="Title" name="plan-title" value={editing.body.title} onChange={(e) => change({ ...editing.body, title: e.target.value })} error={fields.title} />
            {fields.steps ? <p className="text-base text-red-300">{fields.steps}</p> : null}
            <ol className="grid gap-4">
              {editing.body.steps.map((step, i) => (
                <li key={i} className="rounded-xl border-2 border-slate-600 p-4">
                  <StepEditor step={step} number={i + 1} options={options} errors={stepErrors(fields, i)} onChange={(s) => setStep(i, s)} />
                  {readOnly ? null : (
                    <div className="mt-3 flex flex-wrap gap-2">
                      <button type="button" className={button} onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move step ${i + 1} up`}>
                        ↑ Up
                      </button>
                      <button type="button" className={button} onClick={() => move(i, 1)} disabled={i === editing.body.steps.length - 1} aria-label={`Move step ${i + 1} down`}>
                        ↓ Down
                      </button>
                      <button type="button" className={button} onClick={() => add(i + 1)}>
                        Add a step after
                      </button>
                      <button type="button" className={button} onClick={() => remove(i)} disabled={editing.body.steps.length === 1} aria-label={`Remove step ${i + 1}`}>
                        Remove
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ol>
          </fieldset>
          <ErrorNote message={error} />
          {saved ? (
            <p role="status" className="mt-3 text-lg text-emerald-300">
              {saved}
            </p>
          ) : null}
          {readOnly ? null : (
            <div className="mt-4 flex flex-wrap gap-3">
              <button className={primary} onClick={() => void save()} disabled={busy}>
                {busy ? "Saving…" : "Save plan"}
              </button>
              {editing.id ? (
                <button className={button} onClick={() => void destroy()}>
                  Delete plan
                </button>
              ) : null}
            </div>
          )}
        </section>
      ) : null}
    </main>
  );
}
