"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { api } from "../_lib/api-client";
import { useAccount } from "../_lib/use-account";
import { NewSessionForm } from "../_components/new-session-form";
import { SessionList } from "../_components/session-list";
import { TeamPanel } from "../_components/team-panel";

export default function DashboardPage() {
  const account = useAccount();
  const router = useRouter();

  if (account === undefined) return <main className="p-8 text-xl">Loading…</main>;
  if (account === null)
    return (
      <main className="mx-auto max-w-md p-8 text-xl">
        <p>You are signed out.</p>
        <Link href="/signin" className="mt-4 inline-block font-semibold text-hat-300 underline">
          Sign in
        </Link>
      </main>
    );

  async function signOut() {
    await api("POST", "/api/auth/signout");
    router.push("/signin");
  }

  return (
    <main className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-5 py-8">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 className="text-3xl font-extrabold">Hello, {account.name}</h1>
          <p className="text-lg text-slate-300">Signed in as {account.role}.</p>
        </div>
        <button onClick={() => void signOut()} className="h-12 rounded-xl border-2 border-slate-500 px-5 text-lg font-semibold hover:border-hat-400">
          Sign out
        </button>
      </header>
      {account.role === "instructor" ? <NewSessionForm /> : null}
      {account.role === "instructor" ? (
        <p className="text-lg">
          <Link href="/plans" className="font-semibold text-hat-300 underline">
            Lesson plans
          </Link>
          : read the built-in workshop, copy it, or write your own.
        </p>
      ) : null}
      <SessionList canHost={account.role === "instructor"} />
      {account.role === "instructor" ? <TeamPanel /> : null}
    </main>
  );
}
