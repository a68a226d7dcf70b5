"use client";
// "Seen N times in training": lookups in the bundled models' training text (/api/training-data/search).
import { useEffect, useState } from "react";
import { api } from "../../../_lib/api-client";

interface SearchResult {
  count: number;
  lines: number;
  examples: { text: string; match: [number, number] | null }[];
}

const cache = new Map<string, Promise<SearchResult | null>>();

function lookup(phrase: string, examples = 0): Promise<SearchResult | null> {
  const key = `${examples}|${phrase.toLowerCase()}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = api<SearchResult>("GET", `/api/training-data/search?q=${encodeURIComponent(phrase)}&examples=${examples}`).then((r) => (r.ok ? r.data : null));
    cache.set(key, hit);
  }
  return hit;
}

/** The last `n` words of a text, so "Albert Einstein was a" + " physicist" becomes "was a physicist". */
export function lastWords(text: string, n: number): string {
  return text.trim().split(/\s+/).slice(-n).join(" ");
}

export function SeenCount({ phrase }: { phrase: string }) {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    void lookup(phrase).then((r) => live && setCount(r ? r.count : null));
    return () => {
      live = false;
    };
  }, [phrase]);
  if (count === null) return null;
  return (
    <span className="text-slate-400" title={`"${phrase}" appears ${count} times in the training text`}>
      seen {count}×
    </span>
  );
}

export function TrainingSearch() {
  const [phrase, setPhrase] = useState("");
  const [result, setResult] = useState<(SearchResult & { phrase: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function search(event: React.FormEvent) {
    event.preventDefault();
    if (!phrase.trim()) return;
    const r = await api<SearchResult>("GET", `/api/training-data/search?q=${encodeURIComponent(phrase)}&examples=5`);
    if (r.ok) {
      setResult({ ...r.data, phrase });
      setError(null);
    } else setError(r.message);
  }

  return (
    <section className="space-y-3 rounded-2xl border-2 border-slate-700 p-4" aria-label="Search the training data">
      <h2 className="text-xl font-bold">What did the model see in training?</h2>
      <form onSubmit={search} className="flex gap-2">
        <input
          value={phrase}
          onChange={(e) => setPhrase(e.target.value)}
          placeholder="Albert Einstein"
          aria-label="Word or phrase"
          className="h-12 min-w-0 flex-1 rounded-xl border-2 border-slate-600 bg-slate-900 px-3 text-lg"
        />
        <button className="h-12 rounded-xl bg-hat-400 px-4 text-lg font-semibold text-ink">Search</button>
      </form>
      {error ? <p className="text-red-300">{error}</p> : null}
      {result ? (
        <div aria-live="polite" className="space-y-2">
          <p className="text-lg">
            <b>&ldquo;{result.phrase}&rdquo;</b> appears <b>{result.count}</b> time{result.count === 1 ? "" : "s"} in the training text.
          </p>
          <ul className="space-y-1 text-base text-slate-300">
            {result.examples.map((e, i) => (
              <li key={i} className="border-l-4 border-slate-600 pl-2">
                {e.match ? (
                  <>
                    {e.text.slice(0, e.match[0])}
                    <mark className="bg-hat-400 px-0.5 text-ink">{e.text.slice(e.match[0], e.match[1])}</mark>
                    {e.text.slice(e.match[1])}
                  </>
                ) : (
                  e.text
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
