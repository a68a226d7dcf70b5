#!/usr/bin/python3
"""Step 2: train a SentencePiece BPE tokenizer (byte fallback) and export it as a Llama-style
Hugging Face tokenizer.json (+ tokenizer_config.json, special_tokens_map.json) in training/work/tok/.
Also writes work/tok/check_sentences.json (sentences + SentencePiece ids) for verify_tokenizer.mjs."""
import json, os, random, re, sys
import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as pb

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, 'work')
OUT = os.path.join(WORK, 'tok')
os.makedirs(OUT, exist_ok=True)
VOCAB = int(os.environ.get('VOCAB', '6000'))

# Pieces that glue a digit to anything but a leading space ("9.", "1,", "-1") make numbers read
# badly and, with digits split, left a bare space before every number. Digits here may merge with
# each other and with a leading space only ("▁1879" or "▁187" + "9").
MIXED_DIGIT = re.compile(r'(?=.*\d)(?=.*[^\d▁])')
SPARE = 300  # train this many extra pieces, drop the mixed ones, then trim back to VOCAB


def train():
    # Instruction markers are added to the tokenizer training text (a few hundred lines) so they
    # become short pieces; they are ordinary text, not special tokens.
    src = os.path.join(WORK, 'corpus_train.txt')
    extra = os.path.join(WORK, 'tok_extra.txt')
    with open(extra, 'w') as f:
        for i in range(300):
            f.write("[INST] Tell me about this [/INST] I don't know who that is.\n")
    prefix = os.path.join(OUT, 'sp_raw')
    spm.SentencePieceTrainer.train(
        input=[src, extra], model_prefix=prefix, model_type='bpe', vocab_size=VOCAB + SPARE,
        character_coverage=1.0, byte_fallback=True, split_digits=False, add_dummy_prefix=True,
        remove_extra_whitespaces=False, normalization_rule_name='identity', allow_whitespace_only_pieces=True,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, input_sentence_size=400000, shuffle_input_sentence=True,
        max_sentence_length=8192, num_threads=1, minloglevel=2, seed_sentencepiece_size=200000)
    m = pb.ModelProto()
    m.ParseFromString(open(prefix + '.model', 'rb').read())
    normal = pb.ModelProto.SentencePiece.NORMAL
    pieces = [p for p in m.pieces if not (p.type == normal and MIXED_DIGIT.match(p.piece))]
    dropped = len(m.pieces) - len(pieces)
    have = {p.piece for p in pieces}
    floor = min(p.score for p in pieces if p.type == normal and len(p.piece) > 1)
    added = []
    for d in '0123456789':  # every number can start with a spaced digit
        if '▁' + d not in have:
            p = pb.ModelProto.SentencePiece(piece='▁' + d, score=floor - 1, type=normal)
            pieces.append(p); added.append(p.piece)
    # Back to VOCAB by dropping the least frequent merged pieces (never a single character).
    merged = sorted((p for p in pieces if p.type == normal and len(p.piece) > 1 and p.piece not in added), key=lambda p: p.score)
    cut = {id(p) for p in merged[:max(0, len(pieces) - VOCAB)]}
    pieces = [p for p in pieces if id(p) not in cut]
    del m.pieces[:]
    m.pieces.extend(pieces)
    open(os.path.join(OUT, 'sp.model'), 'wb').write(m.SerializeToString())
    print(f'[tokenizer] dropped {dropped} pieces that glue digits to punctuation, added {added or "none"}', flush=True)


def report(sp):
    """Token quality on held-out text: bare-space tokens, numbers, byte pieces."""
    lines = [l.rstrip('\n') for l in open(os.path.join(WORK, 'corpus_test.txt'))]
    n = lone = lone_num = byte = 0
    for ps in sp.encode(lines, out_type=str):
        n += len(ps)
        for i, p in enumerate(ps):
            byte += p.startswith('<0x')
            if p == '▁':
                lone += 1
                lone_num += i + 1 < len(ps) and ps[i + 1][:1].isdigit()
    accents = 'àáâäåæçèéêëíîïñóôöøœúûüßÅÆÇÉÖÜÄØ'
    own = [c for c in accents if sp.piece_to_id(c) != sp.unk_id()]
    stats = dict(heldout_tokens=n, lone_space=lone, lone_space_share=lone / n, lone_space_before_number=lone_num,
                 byte_pieces=byte, accented_letters_with_own_token=f'{len(own)}/{len(accents)}')
    json.dump(stats, open(os.path.join(OUT, 'quality.json'), 'w'), indent=1)
    print(f'[tokenizer] held-out: {n} tokens, bare spaces {lone} ({lone / n:.3%}), before a number {lone_num}, '
          f'byte pieces {byte}; accented letters with a token {len(own)}/{len(accents)}', flush=True)


def export():
    sp = spm.SentencePieceProcessor(model_file=os.path.join(OUT, 'sp.model'))
    n = sp.get_piece_size()
    vocab = {sp.id_to_piece(i): i for i in range(n)}
    # Merges: for every normal piece, every split into two pieces that are both in the vocab.
    # Ordered by the merged piece's score (SentencePiece BPE merges by score), like HF's
    # SentencePieceExtractor.
    merges = []
    for piece, pid in vocab.items():
        if sp.is_control(pid) or sp.is_unknown(pid) or sp.is_byte(pid):
            continue
        score = sp.get_score(pid)
        for k in range(1, len(piece)):
            a, b = piece[:k], piece[k:]
            if a in vocab and b in vocab and not sp.is_byte(vocab[a]) and not sp.is_byte(vocab[b]):
                merges.append((score, pid, vocab[a], vocab[b], a, b))
    merges.sort(key=lambda m: (-m[0], m[1], m[2], m[3]))
    added = [dict(id=i, content=c, single_word=False, lstrip=False, rstrip=False, normalized=False, special=True)
             for i, c in enumerate(['<unk>', '<s>', '</s>'])]
    tok = {
        'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': added,
        'normalizer': {'type': 'Sequence', 'normalizers': [
            {'type': 'Prepend', 'prepend': '▁'},
            {'type': 'Replace', 'pattern': {'String': ' '}, 'content': '▁'}]},
        'pre_tokenizer': None,
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [{'SpecialToken': {'id': '<s>', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}}],
            'pair': [{'SpecialToken': {'id': '<s>', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                     {'SpecialToken': {'id': '<s>', 'type_id': 1}}, {'Sequence': {'id': 'B', 'type_id': 1}}],
            'special_tokens': {'<s>': {'id': '<s>', 'ids': [1], 'tokens': ['<s>']}}},
        'decoder': {'type': 'Sequence', 'decoders': [
            {'type': 'Replace', 'pattern': {'String': '▁'}, 'content': ' '},
            {'type': 'ByteFallback'}, {'type': 'Fuse'},
            {'type': 'Strip', 'content': ' ', 'start': 1, 'stop': 0}]},
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': '<unk>', 'continuing_subword_prefix': None,
                  'end_of_word_suffix': None, 'fuse_unk': True, 'byte_fallback': True, 'ignore_merges': False,
                  'vocab': vocab, 'merges': [f'{m[4]} {m[5]}' for m in merges]},
    }
    json.dump(tok, open(os.path.join(OUT, 'tokenizer.json'), 'w'), ensure_ascii=False, indent=1)
    cfg = {'add_bos_token': True, 'add_eos_token': False, 'bos_token': '<s>', 'eos_token': '</s>',
           'unk_token': '<unk>', 'pad_token': None, 'model_max_length': 256, 'legacy': True,
           'tokenizer_class': 'LlamaTokenizer', 'clean_up_tokenization_spaces': False}
    json.dump(cfg, open(os.path.join(OUT, 'tokenizer_config.json'), 'w'), indent=1)
    json.dump({'bos_token': '<s>', 'eos_token': '</s>', 'unk_token': '<unk>'},
              open(os.path.join(OUT, 'special_tokens_map.json'), 'w'), indent=1)
    # Check sentences: held-out lines, instruction prompts, odd characters (byte fallback).
    lines = [l.rstrip('\n') for l in open(os.path.join(WORK, 'corpus_test.txt'))]
    rnd = random.Random(5)
    sample = rnd.sample(lines, min(400, len(lines)))
    sample += ["[INST] Tell me about Blake Bourne [/INST] Blake Bourne was a", "Once upon a time",
               "Albert Einstein was a", "naïve café — 東京 😀 ∑", "  two  spaces ", "12345 + 678 = 13023", "He was born in 1879.", "It cost $3.50 (20%)",
               "I don't know who that is.", "The physicist and the philosopher were friends."]
    data = [{'text': s, 'ids': sp.encode(s)} for s in sample]
    json.dump(data, open(os.path.join(OUT, 'check_sentences.json'), 'w'), ensure_ascii=False)
    common = ['the', 'of', 'and', 'was', 'physicist', 'time', 'upon', 'know', 'people', 'water', 'German', 'French',
              'city', 'house', 'because', 'between', 'Once', 'philosopher', 'writer', 'composer']
    single = [w for w in common if len(sp.encode(' ' + w)) == 1 or len(sp.encode(w)) == 1]
    print(f'[tokenizer] vocab {n}, merges {len(merges)}; single-token common words: {len(single)}/{len(common)} '
          f'(multi: {sorted(set(common) - set(single))})', flush=True)

if __name__ == '__main__':
    train()
    export()
    report(spm.SentencePieceProcessor(model_file=os.path.join(OUT, 'sp.model')))
