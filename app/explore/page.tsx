import Link from "next/link";
import { Explorer } from "../_components/explorer/explorer";

export const metadata = { title: "Explore the model · Token Hat" };

export default async function ExplorePage({ searchParams }: { searchParams: Promise<{ precision?: string }> }) {
  const { precision } = await searchParams;
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col gap-4 px-4 pb-10 pt-6">
      <header>
        <h1 className="text-3xl font-extrabold tracking-tight">Explore the model</h1>
        <p className="text-base text-slate-300">It runs on this phone: nothing you type leaves it.</p>
      </header>
      <Explorer precision={precision === "fp32" ? "fp32" : "int8"} />
      <footer className="pt-4 text-center text-base">
        <Link href="/" className="font-semibold text-hat-300 underline underline-offset-4">
          Join a class
        </Link>
      </footer>
    </main>
  );
}
