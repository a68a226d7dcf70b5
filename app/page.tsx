import Link from "next/link";
import { JoinForm } from "./_components/join-form";

export default function Home() {
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col px-5 pb-8 pt-10">
      <header className="mb-8">
        <img src="/hat.svg" alt="" width={64} height={64} />
        <h1 className="mt-2 text-4xl font-extrabold tracking-tight">Token Hat</h1>
        <p className="mt-2 text-lg text-slate-300">Play the language model with your class.</p>
      </header>
      <JoinForm />
      <Link href="/explore" className="mt-6 block rounded-2xl border-2 border-slate-500 p-4 text-center text-lg font-semibold">
        No class right now? Explore the model on your own
      </Link>
      <footer className="mt-auto pt-10 text-center text-base text-slate-400">
        Running the workshop?{" "}
        <Link href="/signin" className="font-semibold text-hat-300 underline underline-offset-4">
          Instructor sign-in
        </Link>
      </footer>
    </main>
  );
}
