// Step 2b: check that @huggingface/tokenizers (what the app uses) encodes exactly like SentencePiece.
// Usage: node verify_tokenizer.mjs work/tok
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

const dir = process.argv[2] || 'work/tok';
const tokJson = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));
const tok = new Tokenizer(tokJson, cfg);
const data = JSON.parse(fs.readFileSync(path.join(dir, 'check_sentences.json'), 'utf8'));
let ok = 0;
const bad = [];
for (const { text, ids } of data) {
  const enc = tok.encode(text, { add_special_tokens: false });
  const got = Array.from(enc.ids);
  if (got.length === ids.length && got.every((v, i) => v === ids[i])) ok++;
  else bad.push({ text, sp: ids, hf: got });
}
// Round trip decode of a few
const rt = tok.decode(tok.encode('Albert Einstein was a physicist.').ids, { skip_special_tokens: true });
console.log(`[tokenizer] HF vs SentencePiece: ${ok}/${data.length} identical; decode round trip: ${JSON.stringify(rt)}`);
const withBos = Array.from(tok.encode('Once upon a').ids);
console.log(`[tokenizer] encode("Once upon a") with special tokens: ${JSON.stringify(withBos)}`);
if (bad.length) {
  for (const b of bad.slice(0, 5)) console.log('MISMATCH', JSON.stringify(b));
  process.exit(1);
}
