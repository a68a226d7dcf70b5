"use client";
// One step of a lesson plan as a form: what it starts (guess round, compare, hat, slide, calibration) and the
// presenter notes. Inputs are built from the same protocol types the server validates.
import type { SessionOptions } from "@/contract/http/sessions";
import type { CompareSpec, GuessStart } from "@/contract/protocol/guess";
import type { PlanStep } from "@/contract/protocol/lesson-plan";

const box = "w-full rounded-xl border-2 border-slate-600 bg-slate-900 px-3 text-lg text-white focus:border-hat-400 focus:outline-none";
const label = "mb-1 block text-base font-semibold text-slate-200";

type Kind = PlanStep["kind"];
type GuessChoice = "round" | "continue" | CompareSpec["compare"];

/** A new step of a kind, with inputs a teacher only has to adjust. */
export function newStep(kind: Kind, options: SessionOptions | null): PlanStep {
  if (kind === "hat") return { kind, input: { templateId: options?.templates[0]?.id ?? "capitals" }, notes: "" };
  if (kind === "slide") return { kind, input: { title: "A new slide", body: "" }, notes: "" };
  if (kind === "explore") return { kind, input: { minutes: 5, prompt: "" }, notes: "" };
  if (kind === "calibration") return { kind, input: { setId: options?.questionSets[0]?.id ?? "quick-five", threshold: null }, notes: "" };
  return { kind, input: { mode: "round", prompt: "Once upon a", timerSeconds: 30 }, notes: "" };
}

function guessOf(choice: GuessChoice, prev: GuessStart, options: SessionOptions | null): GuessStart {
  const prompt = prev.mode === "round" ? (prev.prompt ?? "") : prev.mode === "compare" ? prev.spec.prompt : "";
  if (choice === "round") return { mode: "round", prompt, timerSeconds: 30 };
  if (choice === "continue") return { mode: "continue", timerSeconds: 30 };
  if (choice === "chat") return { mode: "compare", spec: { compare: "chat", prompt } };
  if (choice === "prompts") return { mode: "compare", spec: { compare: "prompts", prompt, promptB: "" } };
  if (choice === "temperature") return { mode: "compare", spec: { compare: "temperature", prompt, temperatures: [0.3, 1.5] } };
  return { mode: "compare", spec: { compare: "models", prompt, modelB: options?.models[1]?.id ?? options?.models[0]?.id ?? "" } };
}

function TextInput({ name, value, onChange, error, ...rest }: { name: string; value: string; onChange: (v: string) => void; error?: string; placeholder?: string }) {
  return (
    <label className="block">
      <span className={label}>{name}</span>
      <input value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} className={`${box} h-12`} {...rest} />
      {error ? <span className="mt-1 block text-base text-red-300">{error}</span> : null}
    </label>
  );
}

export function StepEditor({
  step,
  number,
  options,
  errors,
  onChange,
}: {
  step: PlanStep;
  number: number;
  options: SessionOptions | null;
  /** Server messages for this step, keyed by the path inside it ("input.prompt", "notes"). */
  errors: Record<string, string>;
  onChange: (step: PlanStep) => void;
}) {
  const err = (path: string) => errors[path] ?? errors[path.split(".").slice(0, -1).join(".")];
  const models = options?.models ?? [];
  return (
    <div className="grid gap-3">
      <label className="block">
        <span className={label}>Step {number} starts</span>
        <select value={step.kind} onChange={(e) => onChange({ ...newStep(e.target.value as Kind, options), notes: step.notes })} className={`${box} h-12`}>
          <option value="guess">A guess round or a compare</option>
          <option value="hat">A hat game</option>
          <option value="slide">A short explanation slide</option>
          <option value="calibration">A calibration game (answers with confidence)</option>
          <option value="explore">Explore on your own (the model on each phone)</option>
        </select>
      </label>

      {step.kind === "guess" ? (
        <GuessFields input={step.input} options={options} models={models} err={err} onChange={(input) => onChange({ ...step, input })} />
      ) : null}

      {step.kind === "hat" ? (
        <>
          <label className="block">
            <span className={label}>Story template</span>
            <select
              value={step.input.templateId ?? "custom"}
              onChange={(e) =>
                onChange({ ...step, input: e.target.value === "custom" ? { text: step.input.text ?? "Once upon a time there was a ___." } : { templateId: e.target.value } })
              }
              className={`${box} h-12`}
            >
              {(options?.templates ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title}
                </option>
              ))}
              <option value="custom">My own story (type it below)</option>
            </select>
          </label>
          {step.input.templateId === undefined ? (
            <label className="block">
              <span className={label}>Story, with ___ for each blank</span>
              <textarea rows={3} value={step.input.text ?? ""} onChange={(e) => onChange({ ...step, input: { text: e.target.value } })} className={`${box} py-2`} />
              {err("input.text") ? <span className="mt-1 block text-base text-red-300">{err("input.text")}</span> : null}
            </label>
          ) : (
            <p className="text-base text-slate-300">{options?.templates.find((t) => t.id === step.input.templateId)?.text}</p>
          )}
        </>
      ) : null}

      {step.kind === "slide" ? (
        <>
          <TextInput name="Slide title" value={step.input.title} onChange={(title) => onChange({ ...step, input: { ...step.input, title } })} error={err("input.title")} />
          <label className="block">
            <span className={label}>Slide text (a blank line starts a new paragraph)</span>
            <textarea rows={4} value={step.input.body} onChange={(e) => onChange({ ...step, input: { ...step.input, body: e.target.value } })} className={`${box} py-2`} />
          </label>
        </>
      ) : null}

      {step.kind === "explore" ? (
        <>
          <label className="block">
            <span className={label}>Minutes</span>
            <input type="number" min={1} max={30} value={step.input.minutes} onChange={(e) => onChange({ ...step, input: { ...step.input, minutes: Math.max(1, Math.min(30, Math.round(Number(e.target.value)) || 5)) } })} className={`${box} h-12 w-28`} />
          </label>
          <TextInput name="A prompt to start from (optional)" value={step.input.prompt} onChange={(prompt) => onChange({ ...step, input: { ...step.input, prompt } })} error={err("input.prompt")} />
        </>
      ) : null}

      {step.kind === "calibration" ? (
        <label className="block">
          <span className={label}>Question set</span>
          <select value={step.input.setId ?? ""} onChange={(e) => onChange({ ...step, input: { ...step.input, setId: e.target.value, questions: undefined } })} className={`${box} h-12`}>
            {(options?.questionSets ?? []).map((set) => (
              <option key={set.id} value={set.id}>
                {set.title}
              </option>
            ))}
          </select>
          {err("input.setId") ? <span className="mt-1 block text-base text-red-300">{err("input.setId")}</span> : null}
        </label>
      ) : null}

      <label className="block">
        <span className={label}>Presenter notes (host console only)</span>
        <textarea rows={2} value={step.notes} onChange={(e) => onChange({ ...step, notes: e.target.value })} className={`${box} py-2`} placeholder="What to say, how long it takes" />
        {err("notes") ? <span className="mt-1 block text-base text-red-300">{err("notes")}</span> : null}
      </label>
    </div>
  );
}

function GuessFields({
  input,
  options,
  models,
  err,
  onChange,
}: {
  input: GuessStart;
  options: SessionOptions | null;
  models: SessionOptions["models"];
  err: (path: string) => string | undefined;
  onChange: (input: GuessStart) => void;
}) {
  const choice: GuessChoice = input.mode === "compare" ? input.spec.compare : input.mode;
  const setSpec = (patch: Partial<CompareSpec>) => input.mode === "compare" && onChange({ ...input, spec: { ...input.spec, ...patch } as CompareSpec });
  return (
    <>
      <label className="block">
        <span className={label}>What the class does</span>
        <select value={choice} onChange={(e) => onChange(guessOf(e.target.value as GuessChoice, input, options))} className={`${box} h-12`}>
          <option value="round">Guess the next token of a prompt</option>
          <option value="continue">Guess the next token of the class&apos;s text so far</option>
          <option value="prompts">Compare two prompts (e.g. a famous and a made-up name)</option>
          <option value="chat">Compare raw vs wrapped in [INST] markers</option>
          <option value="models">Compare two models</option>
          <option value="temperature">Compare two temperatures</option>
        </select>
      </label>
      {input.mode === "round" ? (
        <TextInput name="Prompt" value={input.prompt ?? ""} onChange={(prompt) => onChange({ ...input, prompt })} error={err("input.prompt")} placeholder="Once upon a" />
      ) : null}
      {input.mode === "compare" ? <TextInput name="Prompt" value={input.spec.prompt} onChange={(prompt) => setSpec({ prompt })} error={err("input.spec.prompt")} /> : null}
      {input.mode === "compare" && input.spec.compare === "prompts" ? (
        <TextInput name="Second prompt" value={input.spec.promptB} onChange={(promptB) => setSpec({ promptB })} error={err("input.spec.promptB")} placeholder="Blake Bourne was a" />
      ) : null}
      {input.mode === "compare" && input.spec.compare === "models" ? (
        <label className="block">
          <span className={label}>Second model (the first is the session&apos;s)</span>
          <select value={input.spec.modelB} onChange={(e) => setSpec({ modelB: e.target.value })} className={`${box} h-12`}>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {input.mode === "compare" && input.spec.compare === "temperature" ? (
        <div className="grid grid-cols-2 gap-3">
          {[0, 1].map((i) => (
            <label key={i} className="block">
              <span className={label}>Temperature {i === 0 ? "A" : "B"}</span>
              <input
                type="number"
                min={0.05}
                max={5}
                step={0.05}
                value={input.spec.compare === "temperature" ? input.spec.temperatures[i] : 1}
                onChange={(e) => {
                  if (input.spec.compare !== "temperature") return;
                  const t: [number, number] = [...input.spec.temperatures];
                  t[i] = Number(e.target.value);
                  setSpec({ temperatures: t });
                }}
                className={`${box} h-12`}
              />
            </label>
          ))}
          {err("input.spec.temperatures") ? <span className="col-span-2 text-base text-red-300">{err("input.spec.temperatures")}</span> : null}
        </div>
      ) : null}
      {input.mode !== "compare" ? (
        <label className="block">
          <span className={label}>Voting time in seconds (empty: the host closes it)</span>
          <input
            type="number"
            min={5}
            max={3600}
            value={input.timerSeconds ?? ""}
            onChange={(e) => onChange({ ...input, timerSeconds: e.target.value === "" ? undefined : Number(e.target.value) })}
            className={`${box} h-12`}
          />
          {err("input.timerSeconds") ? <span className="mt-1 block text-base text-red-300">{err("input.timerSeconds")}</span> : null}
        </label>
      ) : null}
    </>
  );
}
