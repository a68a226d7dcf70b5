// "How often did the training data contain this phrase?" A positional word index over the bundled
// training text: every word occurrence gets a position; a phrase is found by walking the positions
// of its rarest word and checking its neighbours, so a lookup costs O(rarest word's count).

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

export const MAX_PHRASE_WORDS = 8;

export function phraseWords(text: string): string[] {
  return Array.from(text.toLowerCase().matchAll(WORD), (m) => m[0].replace(/’/g, "'"));
}

export interface PhraseHit {
  /** The line of training text the phrase occurred in. */
  text: string;
  /** Character range of the first occurrence in `text`, for highlighting; null if not located. */
  match: [number, number] | null;
}

export interface PhraseResult {
  words: string[];
  /** Occurrences of the phrase (as a run of consecutive words). */
  count: number;
  /** Lines (sentences) containing it. */
  lines: number;
  examples: PhraseHit[];
}

export interface PhraseIndex {
  lineCount: number;
  wordCount: number;
  search(phrase: string, maxExamples?: number): PhraseResult;
}

/** Lines indexed between two yields to the event loop (about 50 ms of work on one core). */
const LINES_PER_SLICE = 5_000;

/**
 * Builds the index; `onProgress` gets the fraction of lines done, for a progress display. It yields
 * to the event loop between slices: a whole corpus takes seconds, and a process that starts (or
 * restarts) during a lesson must keep answering its phones and the proxy's health checks meanwhile.
 */
export async function buildPhraseIndex(lines: string[], onProgress?: (fraction: number) => void): Promise<PhraseIndex> {
  const ids = new Map<string, number>();
  let tokens = new Uint32Array(1 << 20);
  let total = 0;
  const lineStart = new Uint32Array(lines.length + 1);
  const counts: number[] = [];

  for (let li = 0; li < lines.length; li++) {
    lineStart[li] = total;
    for (const word of phraseWords(lines[li]!)) {
      let id = ids.get(word);
      if (id === undefined) {
        id = ids.size;
        ids.set(word, id);
        counts.push(0);
      }
      counts[id]!++;
      if (total === tokens.length) {
        const grown = new Uint32Array(tokens.length * 2);
        grown.set(tokens);
        tokens = grown;
      }
      tokens[total++] = id;
    }
    if (li % LINES_PER_SLICE === LINES_PER_SLICE - 1) {
      onProgress?.(li / lines.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  lineStart[lines.length] = total;
  tokens = tokens.slice(0, total);

  // Postings in one flat array (CSR): positions of word id w are postings[offsets[w] .. offsets[w+1]).
  const offsets = new Uint32Array(ids.size + 1);
  for (let w = 0; w < ids.size; w++) offsets[w + 1] = offsets[w]! + counts[w]!;
  const fill = offsets.slice(0, ids.size);
  const postings = new Uint32Array(total);
  for (let pos = 0; pos < total; pos++) postings[fill[tokens[pos]!]!++] = pos;
  onProgress?.(1);

  function lineOf(pos: number): number {
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStart[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  function locate(line: string, words: string[]): [number, number] | null {
    const matches = Array.from(line.matchAll(WORD));
    for (let i = 0; i + words.length <= matches.length; i++) {
      if (words.every((w, j) => matches[i + j]![0].toLowerCase().replace(/’/g, "'") === w)) {
        const first = matches[i]!;
        const last = matches[i + words.length - 1]!;
        return [first.index, last.index + last[0].length];
      }
    }
    return null;
  }

  return {
    lineCount: lines.length,
    wordCount: total,
    search(phrase, maxExamples = 5) {
      const words = phraseWords(phrase).slice(0, MAX_PHRASE_WORDS);
      const empty: PhraseResult = { words, count: 0, lines: 0, examples: [] };
      if (words.length === 0) return empty;
      const wordIds = words.map((w) => ids.get(w));
      if (wordIds.some((id) => id === undefined)) return empty;
      // Anchor on the rarest word of the phrase.
      let anchor = 0;
      for (let j = 1; j < wordIds.length; j++) if (counts[wordIds[j]!]! < counts[wordIds[anchor]!]!) anchor = j;
      const anchorId = wordIds[anchor]!;
      let count = 0;
      let lineHits = 0;
      let lastLine = -1;
      const examples: PhraseHit[] = [];
      for (let k = offsets[anchorId]!; k < offsets[anchorId + 1]!; k++) {
        const start = postings[k]! - anchor;
        if (start < 0 || start + words.length > total) continue;
        let ok = true;
        for (let j = 0; j < wordIds.length && ok; j++) ok = tokens[start + j] === wordIds[j];
        if (!ok) continue;
        const line = lineOf(start);
        // A phrase may not run across two lines.
        if (start + words.length > lineStart[line + 1]!) continue;
        count++;
        if (line !== lastLine) {
          lineHits++;
          lastLine = line;
          if (examples.length < maxExamples) examples.push({ text: lines[line]!, match: locate(lines[line]!, words) });
        }
      }
      return { words, count, lines: lineHits, examples };
    },
  };
}
