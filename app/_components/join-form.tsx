"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from "@/contract/protocol/limits";
import { api } from "../_lib/api-client";
import { ErrorNote, PrimaryButton } from "./form-bits";

/** Room codes use an alphabet without look-alikes; normalize what people type. */
const normalizeCode = (raw: string) => raw.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 6);

export function JoinForm({ initialCode = "" }: { initialCode?: string }) {
  const router = useRouter();
  const [code, setCode] = useState(normalizeCode(initialCode));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    // Say what is wrong with the code typed, before asking the server.
    const unused = [...new Set([...code].filter((c) => !ROOM_CODE_ALPHABET.includes(c)))];
    if (unused.length > 0) {
      setError(`Room codes never use ${unused.join(", ")} (they look too much like other characters). Check the code on the projector.`);
      return;
    }
    if (code.length !== ROOM_CODE_LENGTH) {
      setError(`A room code has ${ROOM_CODE_LENGTH} characters; you typed ${code.length}.`);
      return;
    }
    setBusy(true);
    setError(null);
    const result = await api<{ code: string }>("GET", `/api/sessions/${code}`);
    setBusy(false);
    if (result.ok) router.push(`/join/${result.data.code}`);
    else setError(result.code === "room_not_found" ? `No room has the code ${code}. Check the code on the projector.` : result.message);
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <label htmlFor="room-code" className="text-xl font-bold">
        Room code
      </label>
      <input
        id="room-code"
        name="code"
        value={code}
        onChange={(e) => setCode(normalizeCode(e.target.value))}
        inputMode="text"
        autoCapitalize="characters"
        autoComplete="off"
        autoCorrect="off"
        spellCheck={false}
        placeholder="ABC123"
        aria-describedby="room-code-help"
        className="h-20 w-full rounded-2xl border-2 border-slate-500 bg-slate-900 text-center font-mono text-4xl font-bold uppercase tracking-[0.3em] text-white placeholder:text-slate-600 focus:border-hat-400 focus:outline-none"
      />
      <p id="room-code-help" className="text-base text-slate-400">
        The code is on the projector.
      </p>
      <ErrorNote message={error} />
      <PrimaryButton type="submit" busy={busy}>
        Join
      </PrimaryButton>
    </form>
  );
}
