"use client";
import type { InputHTMLAttributes, ReactNode } from "react";

export function Field({ label, error, ...input }: { label: string; error?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = input.id ?? input.name;
  return (
    <label htmlFor={id} className="block">
      <span className="mb-1 block text-base font-semibold text-slate-200">{label}</span>
      <input
        id={id}
        {...input}
        aria-invalid={error ? true : undefined}
        className="block h-14 w-full rounded-xl border-2 border-slate-600 bg-slate-900 px-4 text-lg text-white placeholder:text-slate-500 focus:border-hat-400 focus:outline-none"
      />
      {error ? <span className="mt-1 block text-base text-red-300">{error}</span> : null}
    </label>
  );
}

export function PrimaryButton({ children, busy, ...props }: { children: ReactNode; busy?: boolean } & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      {...props}
      disabled={busy || props.disabled}
      className="h-14 w-full rounded-xl bg-hat-400 px-6 text-lg font-bold text-ink hover:bg-hat-300 disabled:opacity-60"
    >
      {busy ? "Please wait…" : children}
    </button>
  );
}

export function ErrorNote({ message }: { message: string | null }) {
  return (
    <p role="alert" aria-live="assertive" className={message ? "rounded-xl border-2 border-red-400 bg-red-950 p-4 text-base text-red-100" : "sr-only"}>
      {message ? <><strong>Problem: </strong>{message}</> : null}
    </p>
  );
}

export function Card({ children, title }: { children: ReactNode; title: string }) {
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col justify-center gap-6 px-5 py-10">
      <h1 className="text-3xl font-extrabold tracking-tight">{title}</h1>
      {children}
    </main>
  );
}
