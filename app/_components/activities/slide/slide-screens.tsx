"use client";
// A slide: big on the projector (sized to fit one screen), a short "look up" on phones, a form on the host console.
import { useState } from "react";
import type { SlideView } from "@/contract/protocol/slide";
import { inputCls, panel, secondary } from "../controls";
import type { HostStartProps, PhoneProps, ProjectorProps } from "../types";

function SlideText({ view }: { view: SlideView }) {
  return (
    <article className="space-y-3">
      <h2 className="text-2xl font-bold">{view.title}</h2>
      {view.paragraphs.map((p, i) => (
        <p key={i} className="text-lg">
          {p}
        </p>
      ))}
    </article>
  );
}

export function SlideProjector({ activity }: ProjectorProps<"slide">) {
  const { view } = activity;
  const long = view.paragraphs.join(" ").length > 420;
  return (
    <article className="flex min-h-0 flex-1 flex-col justify-center gap-[4vh] px-[2vw]">
      <h2 className="text-stage-l font-extrabold">{view.title}</h2>
      {view.paragraphs.map((p, i) => (
        <p key={i} className={`${long ? "text-stage-s" : "text-stage-m"} max-w-[62ch]`}>
          {p}
        </p>
      ))}
    </article>
  );
}

export function SlidePhone({ activity }: PhoneProps<"slide">) {
  return (
    <section aria-live="polite" className="space-y-3 text-lg">
      <p className="text-2xl font-bold">Look up at the screen.</p>
      <SlideText view={activity.view} />
    </section>
  );
}

export function SlideStart({ start, disabled }: HostStartProps) {
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  return (
    <section className={panel} aria-label="Show a slide">
      <h2 className="text-2xl font-bold">A slide on the projector</h2>
      <input value={title} onChange={(e) => setTitle(e.target.value)} className={inputCls} placeholder="Title" aria-label="Slide title" />
      <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={3} className={inputCls} placeholder="A few lines; a blank line starts a new paragraph" aria-label="Slide text" />
      <button className={secondary} disabled={disabled || !title.trim()} onClick={() => void start({ kind: "slide", input: { title, body } })}>
        Show the slide
      </button>
    </section>
  );
}
