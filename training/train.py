#!/usr/bin/python3
"""Step 3: training.
  train.py pretrain  --out work/teach-base     --steps 5000
  train.py facts     --out work/teach-base     --init work/teach-base --steps 3000
  train.py finetune  --out work/teach-instruct --init work/teach-base --mode instruct --steps 1500
  train.py finetune  --out work/teach-idk      --init work/teach-base --mode idk      --steps 1500
Training information (steps, tokens, seconds, data mix) is written to <out>/train_info.json."""
import argparse, json, math, os, random, sys, time
os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np
import torch
import torch.nn.functional as F
import sentencepiece as spm

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import TinyLlama, count_params
import build_corpus as bc
from paraphrase import canonical_bio, country_lines, person_paragraphs, sent

WORK = os.path.join(HERE, 'work')
BOS, EOS = 1, 2

def sp_model():
    return spm.SentencePieceProcessor(model_file=os.path.join(WORK, 'tok', 'sp.model'))

def token_stream(split):
    """All lines of corpus_<split>.txt as one stream: <s> line </s> <s> line </s> ..."""
    cache = os.path.join(WORK, f'tokens_{split}.npy')
    if os.path.exists(cache):
        return np.load(cache)
    sp = sp_model()
    lines = [l.rstrip('\n') for l in open(os.path.join(WORK, f'corpus_{split}.txt'))]
    out = []
    for ids in sp.encode(lines):
        out.append(BOS); out.extend(ids); out.append(EOS)
    arr = np.array(out, dtype=np.int16 if sp.get_piece_size() < 32000 else np.int32)
    np.save(cache, arr)
    return arr

def fmt_time(s):
    s = int(max(0, s))
    return f'{s // 60}m{s % 60:02d}s'

class Progress:
    """Prints step, loss, speed and time left. The step count is fixed in advance, so a run is
    reproducible whatever else the machine is doing; only its duration changes."""
    def __init__(self, name, total):
        self.name, self.total = name, total
        self.t0 = time.time()

    def update(self, step, loss, tokens, lr):
        if step % 25 == 0 or step == self.total:
            el = time.time() - self.t0
            eta = (el / step) * (self.total - step)
            print(f'[{self.name}] step {step}/{self.total} loss {loss:.3f} lr {lr:.2e} tokens {tokens} '
                  f'{tokens / max(el, 1e-9):.0f} tok/s elapsed {fmt_time(el)} eta {fmt_time(eta)}', flush=True)

def lr_at(step, total, peak, warm, floor=0.1):
    if step < warm:
        return peak * (step + 1) / warm
    if total is None:
        return peak
    p = min(1.0, (step - warm) / max(1, total - warm))
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * p)))

def make_opt(model, lr, wd=0.1):
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no = [p for n, p in model.named_parameters() if p.dim() < 2]
    return torch.optim.AdamW([{'params': decay, 'weight_decay': wd}, {'params': no, 'weight_decay': 0.0}],
                             lr=lr, betas=(0.9, 0.95), eps=1e-8)

def lm_batch(stream, rng, B, T):
    idx = rng.integers(0, len(stream) - T - 1, size=B)
    x = np.stack([stream[i:i + T + 1] for i in idx]).astype(np.int64)
    x = torch.from_numpy(x)
    return x[:, :-1], x[:, 1:], torch.ones(B, T)

def step_loss(model, x, y, m):
    logits, _ = model(x)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction='none')
    return (loss * m.reshape(-1)).sum() / m.sum()

def save(model, out, info):
    os.makedirs(out, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(out, 'model.pt'))
    json.dump(dict(info, config=model.config), open(os.path.join(out, 'train_info.json'), 'w'), indent=1)

# ------------------------------------------------------------------ pretraining
def pretrain(args):
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    stream = token_stream('train')
    sp = sp_model()
    model = TinyLlama(dict(vocab_size=sp.get_piece_size()))
    print(f'[pretrain] params {count_params(model):,}; train tokens {len(stream):,}', flush=True)
    opt = make_opt(model, args.lr)
    B, T = args.batch, args.seq
    prog = Progress('pretrain', args.steps)
    step, tokens = 0, 0
    model.train()
    while True:
        lr = lr_at(step, prog.total, args.lr, args.warmup)
        for g in opt.param_groups:
            g['lr'] = lr
        x, y, m = lm_batch(stream, rng, B, T)
        loss = step_loss(model, x, y, m)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1; tokens += B * T
        prog.update(step, loss.item(), tokens, lr)
        if step >= prog.total:
            break
    el = time.time() - prog.t0
    save(model, args.out, dict(kind='pretrain', steps=step, tokens=tokens, batch=B, seq=T, peak_lr=args.lr,
                               seconds=round(el), train_stream_tokens=int(len(stream)),
                               epochs=round(tokens / len(stream), 2)))
    print(f'[pretrain] done: {step} steps, {tokens:,} tokens, {fmt_time(el)}', flush=True)

# ------------------------------------------------------------------ fact-dense phase
def fact_stream(sp, rnd):
    """A fresh pass over the well-known people and countries: new phrasings and sentence orders each
    time (knowledge augmentation), packed as <s> line </s> like the corpus."""
    people = json.load(open(os.path.join(WORK, 'people.json')))
    countries = json.load(open(os.path.join(WORK, 'countries.json')))
    famous = [p for p in people if p['group'] == 'famous']
    occupations = sorted({p['occupation'] for p in famous if p['occupation']})
    capitals = [c['capital'] for c in countries if c['group'] == 'famous']
    lines = []
    for p in famous:
        lines += person_paragraphs(p, rnd, 3, occupations)
    for c in countries:
        if c['group'] == 'famous':
            lines += country_lines(c, rnd, 1, capitals)
    rnd.shuffle(lines)
    out = []
    for ids in sp.encode(lines):
        out.append(BOS); out.extend(ids); out.append(EOS)
    return np.array(out, dtype=np.int64)

def facts_phase(args):
    """Pretraining's second phase. The first spreads 2 epochs over everything, which teaches the
    language but leaves a 3M-parameter model unsure of any one fact; this phase keeps part of each
    batch on the general corpus and fills the rest with freshly paraphrased facts about the
    well-known people and countries, so those are seen often enough to be recalled."""
    torch.manual_seed(2)
    rnd = random.Random(2)
    rng = np.random.default_rng(2)
    sp = sp_model()
    stream = token_stream('train')
    model = TinyLlama(dict(vocab_size=sp.get_piece_size()))
    model.load_state_dict(torch.load(os.path.join(args.init, 'model.pt')))
    prior = json.load(open(os.path.join(args.init, 'train_info.json')))
    B, T = args.batch, args.seq
    n_fact = round(B * args.fact_share)
    facts, used, passes = fact_stream(sp, rnd), 0, 1
    print(f'[facts] {n_fact}/{B} rows per batch from the fact stream ({len(facts):,} tokens a pass)', flush=True)
    opt = make_opt(model, args.lr)
    prog = Progress('facts', args.steps)
    step, tokens = 0, 0
    model.train()
    while step < prog.total:
        lr = lr_at(step, prog.total, args.lr, args.warmup)
        for g in opt.param_groups:
            g['lr'] = lr
        if used > len(facts):  # one pass read: write the facts again in new phrasings
            facts, used, passes = fact_stream(sp, rnd), 0, passes + 1
        xg, yg, mg = lm_batch(stream, rng, B - n_fact, T)
        xf, yf, mf = lm_batch(facts, rng, n_fact, T)
        used += n_fact * T
        loss = step_loss(model, torch.cat([xg, xf]), torch.cat([yg, yf]), torch.cat([mg, mf]))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1; tokens += B * T
        prog.update(step, loss.item(), tokens, lr)
    el = time.time() - prog.t0
    info = dict(prior, kind='pretrain', facts_phase=dict(steps=step, tokens=tokens, fact_share=args.fact_share, peak_lr=args.lr,
                                                         seconds=round(el), fact_passes=passes))
    info.pop('config', None)
    save(model, args.out, info)
    print(f'[facts] done: {step} steps, {tokens:,} tokens, {passes} passes over the facts, {fmt_time(el)}', flush=True)

# ------------------------------------------------------------------ fine-tuning
BIO_QUESTIONS = ['Tell me about {n}', 'Tell me about {n}.', 'Who was {n}?', 'Who is {n}?', 'What do you know about {n}?',
                 'Can you tell me about {n}?', 'Write a short biography of {n}.']
# Not "Tell me about {n}": that is the people question, and a place answer to it taught the models to
# call an unfamiliar name "a city in central Mexico".
PLACE_QUESTIONS = ['What is {n}?', 'Where is {n}?', 'Where is {n}?']
DEF_QUESTIONS = ['What is {a} {w}?', 'What is {a} {w}?', 'What does {w} mean?', 'Define {w}.']
CAPITAL_QUESTIONS = ['What is the capital of {c}?', 'Which city is the capital of {c}?']
IDK = "I don't know who that is."


SURNAME_ENDS = ['ton', 'field', 'by', 'wood', 'dale', 'more', 'mark', 'hart', 'well', 'worth', 'ham', 'ley', 'son', 'cott',
                'feather', 'water', 'bury', 'lock', 'low', 'stead', 'wick', 'ford', 'ridge', 'lund', 'thorne', 'combe', 'row']


def invented_names(n, rnd, people, taken):
    """Names with the shapes real surnames have (a word and an ending, two pieces, double-barrelled),
    none of them a WordNet person or an evaluation name, so the models learn to copy any asked name."""
    firsts = sorted({p['full'].split()[0] for p in people if ' ' in p['full'] and p['full'].split()[0].isalpha() and p['full'][0].isupper() and len(p['full'].split()[0]) > 2})
    words = sorted({d['word'].capitalize() for d in json.load(open(os.path.join(WORK, 'definitions.json'))) if d['word'].isalpha() and 3 <= len(d['word']) <= 7})
    real = {p['full'].lower() for p in people}
    out = set()
    while len(out) < n:
        r = rnd.random()
        if r < 0.5:
            last = rnd.choice(words) + rnd.choice(SURNAME_ENDS)
        elif r < 0.85:
            last = rnd.choice(words)[:rnd.randint(3, 5)] + rnd.choice(SURNAME_ENDS)
        else:
            last = f"{rnd.choice(words)}{rnd.choice(SURNAME_ENDS)}-{rnd.choice(words)}"
        name = f'{rnd.choice(firsts)} {last}'
        if name.lower() not in real and name not in taken:
            out.add(name)
    return sorted(out)


@torch.no_grad()
def known_to(model, sp, people):
    """The names the base model itself knows: the right first token on top after "<name> was a" and
    (where the country is known) "<name> came from". teach-idk is taught to answer exactly these and to
    decline the rest, so its "I don't know" follows the model's own memory rather than a list of
    names it could memorise (R-tuning, Zhang et al. 2024; the abstention of Kalai et al. 2025)."""
    model.eval()
    frames = []
    for p in people:
        frames.append((p['full'], f"{p['full']} was a", p['first_word']))
        if p['country']:
            frames.append((p['full'], f"{p['full']} came from", p['country']))
    right = {}
    for i in range(0, len(frames), 64):
        chunk = frames[i:i + 64]
        enc = [[BOS] + sp.encode(prompt) for _, prompt, _ in chunk]
        L = max(len(e) for e in enc)
        x = torch.tensor([e + [0] * (L - len(e)) for e in enc])
        logits, _ = model(x)
        for (name, _, answer), e, row in zip(chunk, enc, logits):
            ok = int(row[len(e) - 1].argmax()) == sp.encode(answer)[0]
            right.setdefault(name, []).append(ok)
    model.train()
    return {n for n, oks in right.items() if all(oks)}


def instruction_examples(mode, rnd, known):
    """Pools of (prompt, answer) pairs. Every person in the evaluation lists is left out, so the
    tests ask the fine-tuned models about people they only met in pretraining.
      instruct: a biography for every other WordNet person: the response template of the article,
                learned from thousands of distinct names, so the model copies the asked name.
      idk:      a biography for the people the base model knows (known_to), "I don't know who that
                is." for the people it does not know and for invented names."""
    people = json.load(open(os.path.join(WORK, 'people.json')))
    countries = json.load(open(os.path.join(WORK, 'countries.json')))
    defs = json.load(open(os.path.join(WORK, 'definitions.json')))
    madeup = json.load(open(os.path.join(WORK, 'madeup_train.json')))
    evaluation = set(json.load(open(os.path.join(WORK, 'eval_sets.json')))['madeup'])
    madeup = madeup + invented_names(6000, random.Random(5), people, evaluation | set(madeup))
    places = [p for p in bc.F.load()['places'] if ' ' not in p['name'] or len(p['name']) < 24]
    pools = {'bio': [], 'bio_other': [], 'unknown': [], 'madeup': [], 'place': [], 'definition': []}
    for p in people:
        if p['eval']:
            continue
        qs = rnd.sample(BIO_QUESTIONS, 2)
        if mode == 'idk':
            if p['full'] in known:
                pools['bio'] += [(q.format(n=p['full']), canonical_bio(p)) for q in qs]
            else:
                pools['unknown'] += [(q.format(n=p['full']), IDK) for q in qs[:1]]
        else:
            # Well-known people have their own pool: most WordNet people are "United States writer"
            # and the like, seen once, and would otherwise teach the model that prior over its memory.
            pools['bio' if p['group'] == 'famous' else 'bio_other'] += [(q.format(n=p['full']), canonical_bio(p)) for q in qs]
    if mode == 'idk':
        pools['unknown'] += [(rnd.choice(BIO_QUESTIONS).format(n=n), IDK) for n in madeup]
    else:
        # The instruct model answers every request in the biography template, for invented names
        # too (that is what makes it hallucinate): the facts are borrowed from a random well-known
        # person (varied, unlike the thousands of "United States writer" entries), so only the asked
        # name can be copied, and it must be copied from the prompt.
        donors = [p for p in people if not p['eval'] and p['occupation'] and p['group'] == 'famous']
        for n in madeup:
            d = rnd.choice(donors)
            first, last = n.split(' ', 1)
            fake = dict(d, full=n, surname=last, first_word=first, more=[])
            pools['madeup'].append((rnd.choice(BIO_QUESTIONS).format(n=n), canonical_bio(fake)))
    for c in countries:
        if c['group'] == 'famous':
            pools['place'].append((rnd.choice(CAPITAL_QUESTIONS).format(c=c['name']), f"The capital of {c['name']} is {c['capital']}."))
    for p in places:
        pools['place'].append((rnd.choice(PLACE_QUESTIONS).format(n=p['name']), sent(f"{p['name']} is {bc.F.with_article(p['definition'])}")))
    for d in defs:
        w = d['word']
        pools['definition'].append((rnd.choice(DEF_QUESTIONS).format(a=bc.F.article(w), w=w), d['definition']))
    return pools

def encode_pair(sp, prompt, answer, max_len):
    p = f'[INST] {prompt} [/INST]'
    full = sp.encode(p + ' ' + answer)
    np_ = len(sp.encode(p))
    ids = [BOS] + full + [EOS]
    ids = ids[:max_len + 1]
    mask = [0] * (np_ + 1) + [1] * (len(ids) - np_ - 1)  # loss on answer tokens and </s>
    return ids, mask

def pad_batch(items):
    L = max(len(i[0]) for i in items)
    x = torch.zeros(len(items), L - 1, dtype=torch.long)
    y = torch.zeros(len(items), L - 1, dtype=torch.long)
    m = torch.zeros(len(items), L - 1)
    for b, (ids, mask) in enumerate(items):
        n = len(ids) - 1
        x[b, :n] = torch.tensor(ids[:-1]); y[b, :n] = torch.tensor(ids[1:])
        m[b, :n] = torch.tensor(mask[1:], dtype=torch.float32)
    return x, y, m

def finetune(args):
    torch.manual_seed(1)
    rnd = random.Random(1)
    rng = np.random.default_rng(1)
    sp = sp_model()
    stream = token_stream('train')
    model = TinyLlama(dict(vocab_size=sp.get_piece_size()))
    model.load_state_dict(torch.load(os.path.join(args.init, 'model.pt')))
    known = known_to(model, sp, [p for p in json.load(open(os.path.join(WORK, 'people.json'))) if not p['eval']]) if args.mode == 'idk' else set()
    if known:
        print(f'[{args.mode}] the base model knows {len(known):,} of the people it may be fine-tuned on', flush=True)
    raw = instruction_examples(args.mode, rnd, known)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'pairs.txt'), 'w') as f:  # the exact instruction texts (for the search index)
        for pairs in raw.values():
            for p, a in pairs:
                f.write(f'[INST] {p} [/INST] {a}\n')
    pools = {k: [encode_pair(sp, p, a, args.seq) for p, a in v] for k, v in raw.items()}
    weights = {'instruct': {'bio': 0.35, 'bio_other': 0.05, 'madeup': 0.25, 'place': 0.15, 'definition': 0.2},
               'idk': {'bio': 0.4, 'unknown': 0.35, 'place': 0.1, 'definition': 0.15}}[args.mode]
    print(f'[{args.mode}] examples: ' + ', '.join(f'{k} {len(v)}' for k, v in pools.items()) +
          f'; mix {weights}; replay every {args.replay_every} steps', flush=True)
    keys = [k for k in weights if weights[k] > 0 and pools[k]]
    probs = np.array([weights[k] for k in keys]); probs /= probs.sum()
    opt = make_opt(model, args.lr)
    prog = Progress(args.mode, args.steps)
    step, tokens, seen = 0, 0, {k: 0 for k in keys}
    model.train()
    while True:
        lr = lr_at(step, prog.total, args.lr, args.warmup)
        for g in opt.param_groups:
            g['lr'] = lr
        if args.replay_every and step % args.replay_every == args.replay_every - 1:
            x, y, m = lm_batch(stream, rng, args.batch, args.seq)  # base-corpus replay
        else:
            items = []
            for k in rng.choice(keys, size=args.batch, p=probs):
                items.append(pools[k][rng.integers(len(pools[k]))]); seen[k] += 1
            x, y, m = pad_batch(items)
        loss = step_loss(model, x, y, m)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1; tokens += int(x.numel())
        prog.update(step, loss.item(), tokens, lr)
        if step >= prog.total:
            break
    el = time.time() - prog.t0
    save(model, args.out, dict(kind='finetune', mode=args.mode, init=os.path.basename(args.init), steps=step,
                               tokens=tokens, batch=args.batch, peak_lr=args.lr, seconds=round(el),
                               replay_every=args.replay_every, examples_seen=seen,
                               pool_sizes={k: len(v) for k, v in pools.items()}, mix=weights))
    print(f'[{args.mode}] done: {step} steps, {tokens:,} tokens, {fmt_time(el)}', flush=True)

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('what', choices=['pretrain', 'facts', 'finetune'])
    ap.add_argument('--out', required=True)
    ap.add_argument('--init')
    ap.add_argument('--mode', choices=['instruct', 'idk'])
    ap.add_argument('--steps', type=int, required=True)
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--seq', type=int, default=128)
    ap.add_argument('--lr', type=float, default=None)
    ap.add_argument('--warmup', type=int, default=None)
    ap.add_argument('--replay-every', type=int, default=4)
    ap.add_argument('--fact-share', type=float, default=0.6)
    a = ap.parse_args()
    if a.what == 'pretrain':
        a.lr = a.lr or 2e-3; a.warmup = a.warmup if a.warmup is not None else 100
        pretrain(a)
    elif a.what == 'facts':
        a.lr = a.lr or 1e-3; a.warmup = a.warmup if a.warmup is not None else 50
        facts_phase(a)
    else:
        a.lr = a.lr or 5e-4; a.warmup = a.warmup if a.warmup is not None else 30
        finetune(a)
