"use client";
// The three forms that end in a signed-in browser: first-run setup, sign-in, and accepting an invite.
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { api, apiErrorText } from "../_lib/api-client";
import { ErrorNote, Field, PrimaryButton } from "./form-bits";

type Fields = Record<string, string>;

function useSubmit(url: string, extra: () => Fields) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Fields>({});

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = { ...Object.fromEntries(new FormData(event.currentTarget)), ...extra() };
    setBusy(true);
    setError(null);
    setFieldErrors({});
    const result = await api<unknown>("POST", url, body);
    setBusy(false);
    if (result.ok) {
      router.push("/dashboard");
      router.refresh();
    } else {
      setError(result.message);
      setFieldErrors(result.fields ?? {});
    }
  }
  return { busy, error, fieldErrors, onSubmit };
}

export function SignInForm() {
  const { busy, error, fieldErrors, onSubmit } = useSubmit("/api/auth/signin", () => ({}));
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-5" noValidate>
      <Field label="Email" name="email" type="email" autoComplete="username" required error={fieldErrors.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required error={fieldErrors.password} />
      <ErrorNote message={error} />
      <PrimaryButton type="submit" busy={busy}>
        Sign in
      </PrimaryButton>
    </form>
  );
}

export function SetupForm() {
  const token = useSearchParams().get("token") ?? "";
  const { busy, error, fieldErrors, onSubmit } = useSubmit("/api/auth/setup", () => ({ token }));
  // A used link is said before anyone types into the form.
  const [needsSetup, setNeedsSetup] = useState<boolean | null>(null);
  useEffect(() => {
    void api<{ needsSetup: boolean }>("GET", "/api/auth/me").then((r) => setNeedsSetup(r.ok ? r.data.needsSetup : true));
  }, []);
  if (!token) return <ErrorNote message="This page needs the setup link that the server printed when it first started." />;
  if (needsSetup === null) return <p className="text-lg">Checking the setup link…</p>;
  if (!needsSetup)
    return (
      <>
        <ErrorNote message={apiErrorText.setup_done} />
        <Link href="/signin" className="text-lg font-semibold text-hat-300 underline">
          Sign in instead
        </Link>
      </>
    );
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-5" noValidate>
      <Field label="Your name" name="name" autoComplete="name" required error={fieldErrors.name} />
      <Field label="Email" name="email" type="email" autoComplete="username" required error={fieldErrors.email} />
      <Field label="Password (8 characters or more)" name="password" type="password" autoComplete="new-password" required error={fieldErrors.password} />
      <ErrorNote message={error} />
      <PrimaryButton type="submit" busy={busy}>
        Create instructor account
      </PrimaryButton>
    </form>
  );
}

export function AcceptInviteForm() {
  const token = useSearchParams().get("token") ?? "";
  const { busy, error, fieldErrors, onSubmit } = useSubmit("/api/invites/accept", () => ({ token }));
  if (!token) return <ErrorNote message="This page needs the invite link you were sent." />;
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-5" noValidate>
      <Field label="Choose a password (8 characters or more)" name="password" type="password" autoComplete="new-password" required error={fieldErrors.password} />
      <ErrorNote message={error} />
      <PrimaryButton type="submit" busy={busy}>
        Accept invite
      </PrimaryButton>
    </form>
  );
}
