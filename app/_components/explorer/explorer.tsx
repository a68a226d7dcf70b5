"use client";
// The solo explorer: a bundled model runs on the phone itself. Type a prompt and see its tokens,
// the next-token distribution and its entropy; set the hat's temperature and top-p, draw a slip,
// append it or undo; watch the chain-rule probability and perplexity of the text grow. After the
// first visit it works with no network (public/explorer-sw.js keeps its files).
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ExplorerManifest } from "@/contract/http/explorer";
import type { Distribution, Token } from "@/contract/inference/port";
import { MAX_SEED } from "@/contract/numbers/hat/seeded-draw";
import { BrowserModel, type Precision } from "../../_lib/explorer/browser-model";
import { entropyMeaning, formatBits, formatJoint, formatPerplexity, formatProb, showToken, tokenLabels } from "../../_lib/format";
import { ErrorNote } from "../form-bits";

interface Drawn extends Token {
  p: number;
  seed: number;
}

type Computed = { d: Distribution; rows: Float32Array[]; ms: number; ids: number[]; n: number };

/**
 * On the first visit the page and its files load before the service worker is in charge, so it has
 * not kept them. Once it is, each is asked for again through it (one more download, once).
 */
const refetched = new Set<string>();
let controlledAtStart = true;

/** Asks again, through the worker, for every explorer file this page loaded before the worker was in charge. */
function refetchThroughWorker() {
  if (controlledAtStart || !navigator.serviceWorker?.controller) return;
  const urls = performance.getEntriesByType("resource").map((e) => e.name);
  for (const url of [location.href, ...urls]) {
    const u = new URL(url);
    if (refetched.has(url) || u.origin !== location.origin || !/^\/(explore|api\/explorer|explorer-assets\/|_next\/static\/)/.test(u.pathname)) continue;
    refetched.add(url);
    void fetch(url).catch(() => undefined);
  }
}

function keepForOffline() {
  controlledAtStart = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener("controllerchange", refetchThroughWorker, { once: true });
}

const newSeed = () => crypto.getRandomValues(new Uint32Array(1))[0]! % (MAX_SEED + 1);

export function Explorer({ precision: initialPrecision = "int8", initialPrompt = "" }: { precision?: Precision; initialPrompt?: string }) {
  const [manifest, setManifest] = useState<ExplorerManifest | null>(null);
  const [modelId, setModelId] = useState<string | null>(null);
  const [precision, setPrecision] = useState<Precision>(initialPrecision);
  const models = useRef(new Map<string, BrowserModel>());
  const [model, setModel] = useState<BrowserModel | null>(null);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [prompt, setPrompt] = useState(initialPrompt || "Once upon a time there was a");
  const [chat, setChat] = useState(false);
  const [drawn, setDrawn] = useState<Drawn[]>([]);
  const [temperature, setTemperature] = useState(1);
  const [topP, setTopP] = useState(1);
  const [computed, setComputed] = useState<Computed | null>(null);
  const [others, setOthers] = useState<{ id: string; name: string; d: Distribution }[] | null>(null);

  useEffect(() => {
    fetch("/api/explorer")
      .then((r) => r.json() as Promise<{ ok: boolean; data: ExplorerManifest }>)
      .then((r) => {
        setManifest(r.data);
        setModelId(r.data.defaultModel ?? r.data.models[0]?.id ?? null);
      })
      .catch(() => setError("Could not reach Token Hat to load the model. Open this page once on the school network; after that it works offline."));
    // Keeps the explorer's files for offline use; best effort (no service worker over plain http on a LAN address).
    if ("serviceWorker" in navigator) void navigator.serviceWorker.register("/explorer-sw.js").then(keepForOffline).catch(() => undefined);
  }, []);

  const loadModel = useCallback(
    async (id: string, wanted: Precision): Promise<BrowserModel> => {
      const key = `${id}:${wanted}`;
      const cached = models.current.get(key);
      if (cached) return cached;
      const files = manifest!.models.find((m) => m.id === id)!;
      const loaded = await BrowserModel.load(manifest!, files, wanted, (l, t) => setProgress({ loaded: l, total: t }));
      models.current.set(key, loaded);
      return loaded;
    },
    [manifest],
  );

  useEffect(() => {
    if (!manifest || !modelId) return;
    let cancelled = false;
    setModel(null);
    setOthers(null);
    loadModel(modelId, precision)
      .then((m) => {
        if (cancelled) return;
        setModel(m);
        setProgress(null);
        // A model that finished downloading after the worker took charge is kept for offline use too.
        refetchThroughWorker();
        if (!m.chat) setChat(false);
      })
      .catch((e: unknown) => !cancelled && setError(`The model could not start in this browser: ${(e as Error).message}`));
    return () => {
      cancelled = true;
    };
  }, [manifest, modelId, precision, loadModel]);

  const promptTokens = useMemo(() => (model && prompt.trim() ? model.promptTokens(prompt, chat) : []), [model, prompt, chat]);
  const ids = useMemo(() => [...promptTokens.map((t) => t.id), ...drawn.map((t) => t.id)], [promptTokens, drawn]);

  // The distribution follows every keystroke; a newer one replaces an older one still computing.
  const generation = useRef(0);
  useEffect(() => {
    if (!model || ids.length === 0) {
      setComputed(null);
      return;
    }
    const mine = ++generation.current;
    const started = performance.now();
    void model.distribution(ids.slice(-model.contextLength)).then(({ rows, ...d }) => {
      if (mine === generation.current) setComputed({ d, rows, ms: performance.now() - started, ids, n: mine });
    });
  }, [model, ids]);

  const score = useMemo(() => {
    if (!model || !computed || drawn.length === 0 || computed.ids.length !== ids.length || computed.rows.length !== ids.length) return null;
    const first = promptTokens.length;
    return model.score(drawn, computed.rows.slice(first - 1, first - 1 + drawn.length));
  }, [model, computed, drawn, promptTokens, ids]);

  // Draw only from the distribution of the text as it is now, and only while the model can read it all.
  const fresh = computed !== null && computed.ids.length === ids.length && computed.ids.every((id, i) => id === ids[i]);
  const full = model !== null && ids.length >= model.contextLength;

  function draw() {
    if (!model || !computed || !fresh || full) return;
    const seed = newSeed();
    const s = model.sample(computed.rows.at(-1)!, { temperature, topP, seed });
    // The chain rule uses the model's own probability (temperature 1), not the reshaped hat's.
    const p = computed.d.probs?.[s.token.id] ?? s.token.p;
    setDrawn((list) => [...list, { id: s.token.id, text: s.token.text, special: false, p, seed }]);
  }

  async function compare() {
    if (!manifest) return;
    setOthers([]);
    const out: { id: string; name: string; d: Distribution }[] = [];
    for (const files of manifest.models) {
      const m = await loadModel(files.id, precision);
      const pIds = [...m.promptTokens(prompt, chat).map((t) => t.id), ...drawn.map((t) => t.id)].slice(-m.contextLength);
      const { rows: _rows, ...d } = await m.distribution(pIds, 3);
      out.push({ id: files.id, name: files.name, d });
      setOthers([...out]);
    }
    setProgress(null);
  }

  // For tests and curious students: the same numbers from the browser console.
  useEffect(() => {
    if (!manifest) return;
    (window as unknown as { tokenHatExplorer: unknown }).tokenHatExplorer = {
      async distribution(text: string, options: { model?: string; chat?: boolean; precision?: Precision } = {}) {
        const m = await loadModel(options.model ?? manifest.defaultModel ?? manifest.models[0]!.id, options.precision ?? precision);
        const { rows, ...d } = await m.distribution(m.promptTokens(text, options.chat ?? false).map((t) => t.id), 20);
        return { ...d, probs: Array.from(d.probs ?? []), positions: rows.length };
      },
      async sample(text: string, options: { model?: string; temperature: number; topP: number; topK?: number; seed: number; precision?: Precision }) {
        const m = await loadModel(options.model ?? manifest.defaultModel ?? manifest.models[0]!.id, options.precision ?? precision);
        const { rows } = await m.distribution(m.promptTokens(text, false).map((t) => t.id), 1);
        return m.sample(rows.at(-1)!, options);
      },
    };
  }, [manifest, loadModel, precision]);

  const hat = useMemo(() => (model && computed ? model.hat(computed.rows.at(-1)!, { temperature, topP }) : null), [model, computed, temperature, topP]);
  const visible = [...promptTokens, ...drawn].filter((t) => !t.special);
  const files = manifest?.models.find((m) => m.id === modelId);
  const d = computed?.d;
  const shownTop = d ? d.top.slice(0, 8) : [];
  const restMass = d ? 1 - shownTop.reduce((s, t) => s + t.p, 0) : 0;
  return (
    <div className="flex flex-col gap-4">
      <div className="grid grid-cols-[1fr_auto] items-end gap-2">
        <label className="block">
          <span className="mb-1 block text-base font-semibold">Model</span>
          <select value={modelId ?? ""} onChange={(e) => setModelId(e.target.value)} className="h-12 w-full rounded-xl border-2 border-slate-600 bg-slate-900 px-2 text-lg" disabled={!manifest}>
            {(manifest?.models ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex h-12 items-center gap-2 text-base">
          <input type="checkbox" className="h-6 w-6" checked={precision === "fp32"} onChange={(e) => setPrecision(e.target.checked ? "fp32" : "int8")} />
          exact copy
        </label>
      </div>
      <p className="text-sm text-slate-300">
        {files ? `${precision === "fp32" ? "The exact weights the server runs" : "The phone copy (weights in 8 bits)"}: ${((precision === "fp32" || !files.int8 ? files.fp32.bytes : files.int8.bytes) / 1e6).toFixed(1)} MB, kept for next time.` : "Loading the list of models…"}
      </p>
      <ErrorNote message={error} />
      {progress && !model ? (
        <div aria-live="polite">
          <p className="text-base">Loading the model into this phone… {Math.round((100 * progress.loaded) / progress.total)}%</p>
          <progress className="h-4 w-full accent-amber-400" max={progress.total} value={progress.loaded} aria-label="Loading the model" />
        </div>
      ) : null}

      <label className="block">
        <span className="mb-1 block text-base font-semibold">Your prompt</span>
        <textarea value={prompt} onChange={(e) => { setPrompt(e.target.value); setDrawn([]); }} rows={2} maxLength={300} className="w-full rounded-xl border-2 border-slate-500 bg-slate-900 px-3 py-2 text-xl" />
      </label>
      {model?.chat ? (
        <label className="flex items-center gap-2 text-base">
          <input type="checkbox" className="h-6 w-6" checked={chat} onChange={(e) => { setChat(e.target.checked); setDrawn([]); }} />
          Wrap it in the chat markers ([INST] … [/INST])
        </label>
      ) : null}

      {model ? (
        <>
          <section aria-label="The tokens" className="space-y-1">
            <h2 className="text-base font-semibold text-slate-300">
              {visible.length} tokens (each box is one){drawn.length ? `, ${drawn.length} drawn from the hat` : ""}
            </h2>
            <p className="text-lg leading-loose">
              {tokenLabels(visible.map((t) => t.text)).map((label, i) => (
                <span key={i} className={`mr-1 inline-block whitespace-pre rounded border-2 px-1 font-mono ${i >= promptTokens.filter((t) => !t.special).length ? "border-hat-400 bg-hat-400/20" : i % 2 ? "border-sky-400/70" : "border-amber-300/70"}`}>
                  {label}
                </span>
              ))}
            </p>
          </section>

          <section aria-label="What comes next" className="space-y-2 rounded-2xl border-2 border-slate-700 p-3">
            <h2 className="text-xl font-bold">What comes next?</h2>
            {d ? (
              <>
                <ol className="space-y-1">
                  {shownTop.map((t) => (
                    <li key={t.id} className="grid grid-cols-[6rem_1fr_4.5rem] items-center gap-2 text-base">
                      <span className="truncate font-mono">{showToken(t.text)}</span>
                      <span className="h-4 rounded bg-slate-800">
                        <span className="block h-4 rounded bg-sky-400" style={{ width: `${Math.max(1, t.p * 100)}%` }} />
                      </span>
                      <span className="text-right tabular-nums">{formatProb(t.p)}</span>
                    </li>
                  ))}
                </ol>
                <p className="text-base text-slate-300">Every other token together: {formatProb(restMass)}</p>
                <p className="text-base">
                  Uncertainty <b>{formatBits(d.entropyBits)}</b>: {entropyMeaning(d.entropyBits)}.
                </p>
                <p className="text-sm text-slate-400" data-testid="step-ms" data-step={computed!.n}>
                  Computed on this phone in {Math.round(computed!.ms)} ms.
                </p>
              </>
            ) : (
              <p className="text-base">Type a prompt.</p>
            )}
          </section>

          <section aria-label="The hat" className="space-y-3 rounded-2xl border-2 border-hat-400 p-3">
            <h2 className="text-xl font-bold">The hat</h2>
            <label className="block text-base">
              <span className="flex justify-between font-semibold">
                Temperature <span className="tabular-nums">{temperature.toFixed(1)}</span>
              </span>
              <input type="range" min={0.1} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Number(e.target.value))} className="h-8 w-full accent-amber-400" aria-label="Temperature" />
            </label>
            <label className="block text-base">
              <span className="flex justify-between font-semibold">
                Top-p <span className="tabular-nums">{topP.toFixed(2)}</span>
              </span>
              <input type="range" min={0.05} max={1} step={0.05} value={topP} onChange={(e) => setTopP(Number(e.target.value))} className="h-8 w-full accent-amber-400" aria-label="Top-p" />
            </label>
            {hat ? (
              <p className="text-base" aria-label="Slips in the hat">
                Of its 10,000 slips:{" "}
                {hat.slips.slice(0, 4).map((slip, i) => (
                  <span key={slip.id}>
                    {i > 0 ? " · " : ""}
                    <b className="font-mono">{showToken(model!.tokenizer.tokenText(slip.id))}</b> {slip.count.toLocaleString("en-US")}
                  </span>
                ))}
                {hat.slips.length > 4 ? ` · ${(hat.slips.length - 4).toLocaleString("en-US")} more tokens` : ""}. {hat.cut.tokens > 0 ? `Top-p cut ${hat.cut.tokens.toLocaleString("en-US")} unlikely tokens out.` : ""}
              </p>
            ) : null}
            <div className="grid grid-cols-[2fr_1fr] gap-2">
              <button type="button" onClick={draw} disabled={!fresh || full} className="h-14 rounded-2xl bg-hat-400 text-xl font-extrabold text-ink disabled:opacity-50">
                Draw a slip
              </button>
              <button type="button" onClick={() => setDrawn((l) => l.slice(0, -1))} disabled={drawn.length === 0} className="h-14 rounded-2xl border-2 border-slate-500 text-xl font-bold disabled:opacity-40">
                Undo
              </button>
            </div>
            {full ? <p className="text-base text-amber-200">The model reads at most {model.contextLength} tokens: undo a few, or start a new prompt.</p> : null}
            {drawn.length ? (
              <p className="text-base" aria-live="polite">
                Last slip: <b className="font-mono">{showToken(drawn.at(-1)!.text)}</b> (the model gave it {formatProb(drawn.at(-1)!.p)}; seed {drawn.at(-1)!.seed}).
              </p>
            ) : null}
            {score ? (
              <p className="text-base">
                The drawn text&apos;s chance, token by token multiplied: <b>{formatJoint(score.log2Prob)}</b> · perplexity <b>{formatPerplexity(score.perplexity)}</b>
              </p>
            ) : null}
          </section>

          <section aria-label="Every model" className="space-y-2">
            <button type="button" onClick={() => void compare()} className="h-12 w-full rounded-xl border-2 border-slate-500 text-lg font-semibold">
              Same text in every model
            </button>
            {others?.map((o) => (
              <p key={o.id} className="text-base">
                <b>{o.name}</b>: {o.d.top.map((t) => `${showToken(t.text)} ${formatProb(t.p)}`).join(" · ")} · {formatBits(o.d.entropyBits)}
              </p>
            ))}
          </section>
        </>
      ) : null}
    </div>
  );
}
