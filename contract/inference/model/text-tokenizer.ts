// Tokenization with @huggingface/tokenizers, token texts for display, and the chat template.
import { Template } from "@huggingface/jinja";
import { Tokenizer } from "@huggingface/tokenizers";
import type { Token } from "../port.ts";

type Json = Record<string, unknown>;

/** Special tokens in tokenizer_config.json are either strings or AddedToken objects. */
function tokenContent(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && typeof (value as Json).content === "string") return (value as Json).content as string;
  return null;
}

function pickChatTemplate(value: unknown): string | null {
  if (typeof value === "string" && value.trim() !== "") return value;
  // Some exports store a list of named templates; "default" is the chat one.
  if (Array.isArray(value)) {
    const named = value as { name?: unknown; template?: unknown }[];
    const chosen = named.find((t) => t.name === "default") ?? named[0];
    if (chosen && typeof chosen.template === "string") return chosen.template;
  }
  return null;
}

/** Control characters other than tab, newline and carriage return. */
function hasControl(text: string): boolean {
  for (const c of text) {
    const n = c.codePointAt(0)!;
    if ((n < 0x20 && c !== "\t" && c !== "\n" && c !== "\r") || n === 0x7f) return true;
  }
  return false;
}

export class TextTokenizer {
  readonly chatTemplate: string | null;
  readonly bosId: number | null;
  readonly eosId: number | null;
  readonly padId: number;
  private readonly tokenizer: Tokenizer;
  private readonly specialIds: Set<number>;
  private readonly texts = new Map<number, string>();
  private readonly referenceId: number | null;
  private readonly referenceText: string;
  private readonly template: Template | null;
  private readonly templateContext: Json;

  constructor(tokenizerJson: Json, tokenizerConfig: Json, ids: { bos: number | null; eos: number | null; pad: number | null }) {
    this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    this.specialIds = new Set(
      [...this.tokenizer.get_added_tokens_decoder()].filter(([, token]) => token.special).map(([id]) => id),
    );
    const byName = (key: string): number | null => {
      const content = tokenContent(tokenizerConfig[key]);
      return content === null ? null : (this.tokenizer.token_to_id(content) ?? null);
    };
    this.bosId = byName("bos_token") ?? ids.bos;
    this.eosId = byName("eos_token") ?? ids.eos;
    this.padId = byName("pad_token") ?? ids.pad ?? this.eosId ?? 0;
    for (const id of [this.bosId, this.eosId]) if (id !== null) this.specialIds.add(id);
    // Decoders strip a leading space from the first token, so a token's running-text form is read
    // after a plain reference token.
    const reference = this.tokenizer.encode("a", { add_special_tokens: false }).ids;
    this.referenceId = reference.length === 1 ? reference[0]! : null;
    this.referenceText = this.referenceId === null ? "" : this.decode([this.referenceId]);
    this.chatTemplate = pickChatTemplate(tokenizerConfig.chat_template);
    this.template = this.chatTemplate === null ? null : new Template(this.chatTemplate);
    this.templateContext = {};
    for (const key of ["bos_token", "eos_token", "unk_token", "pad_token"]) {
      const content = tokenContent(tokenizerConfig[key]);
      if (content !== null) this.templateContext[key] = content;
    }
  }

  /** Ids the model is conditioned on; `special` adds the tokenizer's own markers such as BOS. */
  encode(text: string, special = true): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: special }).ids;
  }

  decode(ids: readonly number[]): string {
    return this.tokenizer.decode([...ids], { skip_special_tokens: false, clean_up_tokenization_spaces: false });
  }

  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }

  /** How the token reads inside running text, e.g. " basket"; a lone UTF-8 byte shows as <0xE2>. */
  tokenText(id: number): string {
    const cached = this.texts.get(id);
    if (cached !== undefined) return cached;
    let text: string;
    const piece = this.tokenizer.id_to_token(id);
    if (piece === undefined) text = `<unused ${id}>`;
    else if (this.isSpecial(id)) text = piece;
    else {
      const decoded =
        this.referenceId === null ? this.decode([id]) : this.decode([this.referenceId, id]).slice(this.referenceText.length);
      // A broken UTF-8 byte or a control character (a NUL cannot even be stored in PostgreSQL)
      // shows as its piece, e.g. <0x00>.
      text = decoded.includes("\uFFFD") || hasControl(decoded) ? piece : decoded;
    }
    this.texts.set(id, text);
    return text;
  }

  token(id: number): Token {
    return { id, text: this.tokenText(id), special: this.isSpecial(id) };
  }

  /** A text prompt's ids; wrapped in the chat template (which writes its own BOS) when asked and there is one. */
  promptIds(text: string, chat: boolean): number[] {
    return chat && this.template ? this.encode(this.chatPrompt(text), false) : this.encode(text);
  }

  /** The message as a user turn, followed by the assistant's opening; unchanged without a template. */
  chatPrompt(message: string): string {
    if (!this.template) return message;
    return this.template.render({
      ...this.templateContext,
      messages: [{ role: "user", content: message }],
      add_generation_prompt: true,
    });
  }
}
