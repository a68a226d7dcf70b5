"use client";
// Instructors add colleagues: directly with a password, or by an invite link.
import { useCallback, useEffect, useState } from "react";
import { api } from "../_lib/api-client";
import { ErrorNote, Field, PrimaryButton } from "./form-bits";

interface Member {
  id: string;
  email: string;
  name: string;
  role: string;
}
interface Invite {
  id: string;
  email: string;
  name: string;
  role: string;
}

export function TeamPanel() {
  const [members, setMembers] = useState<Member[]>([]);
  const [invites, setInvites] = useState<Invite[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [inviteUrl, setInviteUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const r = await api<{ accounts: Member[]; invites: Invite[] }>("GET", "/api/accounts");
    if (r.ok) {
      setMembers(r.data.accounts);
      setInvites(r.data.invites);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function add(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    if (!data.password) delete data.password;
    setBusy(true);
    setError(null);
    setFieldErrors({});
    setInviteUrl(null);
    const r = await api<{ inviteUrl: string | null }>("POST", "/api/accounts", data);
    setBusy(false);
    if (!r.ok) {
      setError(r.message);
      setFieldErrors(r.fields ?? {});
      return;
    }
    form.reset();
    setInviteUrl(r.data.inviteUrl);
    await load();
  }

  return (
    <section aria-labelledby="team-heading" className="rounded-2xl border-2 border-slate-700 p-5">
      <h2 id="team-heading" className="text-2xl font-bold">
        Teaching team
      </h2>
      <ul className="mt-3 divide-y divide-slate-700" aria-label="Accounts">
        {members.map((m) => (
          <li key={m.id} className="flex flex-wrap justify-between gap-2 py-2 text-lg">
            <span>
              {m.name} <span className="text-slate-400">{m.email}</span>
            </span>
            <span className="rounded-md bg-slate-800 px-2 text-base">{m.role}</span>
          </li>
        ))}
        {invites.map((i) => (
          <li key={i.id} className="flex flex-wrap justify-between gap-2 py-2 text-lg text-slate-300">
            <span>
              {i.name} <span className="text-slate-400">{i.email}</span>
            </span>
            <span className="rounded-md border border-slate-600 px-2 text-base">invited · {i.role}</span>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="mt-5 grid gap-4" noValidate aria-label="Add a colleague">
        <h3 className="text-xl font-semibold">Add a colleague</h3>
        <Field label="Name" name="name" required error={fieldErrors.name} />
        <Field label="Email" name="email" type="email" required error={fieldErrors.email} />
        <label className="block">
          <span className="mb-1 block text-base font-semibold text-slate-200">Role</span>
          <select name="role" defaultValue="facilitator" className="h-14 w-full rounded-xl border-2 border-slate-600 bg-slate-900 px-4 text-lg">
            <option value="facilitator">Facilitator: reviews results</option>
            <option value="instructor">Instructor: hosts sessions</option>
          </select>
        </label>
        <Field label="Password (leave empty to get an invite link)" name="password" type="password" autoComplete="new-password" error={fieldErrors.password} />
        <ErrorNote message={error} />
        {inviteUrl ? (
          <p className="break-all rounded-xl border-2 border-hat-400 p-4 text-base" role="status">
            Send this one-time link: <code className="select-all">{inviteUrl}</code>
          </p>
        ) : null}
        <PrimaryButton type="submit" busy={busy}>
          Add
        </PrimaryButton>
      </form>
    </section>
  );
}
