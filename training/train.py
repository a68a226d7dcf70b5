#!/usr/bin/python3
"""Step 3: training.
  train.py pretrain  --out work/teach-base     --minutes 32
  train.py finetune  --out work/teach-instruct --init work/teach-base --mode instruct --minutes 9
  train.py finetune  --out work/teach-idk      --init work/teach-base --mode idk      --minutes 9
The number of optimizer steps is fixed from the measured speed of the first steps so that a run
fits its time budget; the step count actually used is written to <out>/train_info.json."""
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
    def __init__(self, name, budget_s, calib_steps=12):
        self.name, self.budget, self.calib = name, budget_s, calib_steps
        self.t0 = time.time()
        self.total = None

    def update(self, step, loss, tokens, lr):
        el = time.time() - self.t0
        if self.total is None and step == self.calib:
            per = el / step
            self.total = max(self.calib + 1, int(self.budget / per))
            print(f'[{self.name}] {per:.2f}s/step -> {self.total} steps for a {fmt_time(self.budget)} budget', flush=True)
        if step % 25 == 0 or (self.total and step == self.total):
            tot = self.total or 0
            eta = (el / step) * (tot - step) if tot else float('nan')
            print(f'[{self.name}] step {step}/{tot} loss {loss:.3f} lr {lr:.2e} tokens {tokens} '
                  f'{tokens / max(el, 1e-9):.0f} tok/s elapsed {fmt_time(el)} eta {fmt_time(eta) if tot else "?"}', flush=True)

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
    prog = Progress('pretrain', args.minutes * 60)
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
        if prog.total is not None and step >= prog.total:
            break
        if time.time() - prog.t0 > 1.3 * prog.budget + 30:  # machine got slower (shared CPU): stop anyway
            print(f'[train] stopping early at step {step}: past 1.3x the time budget', flush=True)
            break
    el = time.time() - prog.t0
    save(model, args.out, dict(kind='pretrain', steps=step, tokens=tokens, batch=B, seq=T, peak_lr=args.lr,
                               seconds=round(el), train_stream_tokens=int(len(stream)),
                               epochs=round(tokens / len(stream), 2)))
    print(f'[pretrain] done: {step} steps, {tokens:,} tokens, {fmt_time(el)}', flush=True)

# ------------------------------------------------------------------ stage 2: knowledge boost
def boost_lines(rnd):
    """Biographies of the well-known people (hand-picked list x12, other well-known x2) and the generic
    story sentences x10; written to work/boost_train.txt so the training-data export can include them."""
    people = json.load(open(os.path.join(WORK, 'people.json')))
    famous = set(json.load(open(os.path.join(WORK, 'famous.json'))))
    curated = set(bc.CURATED)
    lines = []
    for p in people:
        if p['offset'] not in famous:
            continue
        reps = 12 if p['full'] in curated else 2
        ph = bc.person_phrasings(p, True)
        for _ in range(reps):
            lines.extend(ph)
    for _ in range(10):
        lines.extend(bc.GENERIC)
    rnd.shuffle(lines)
    return lines

def boost(args):
    """Continue pretraining teach-base: half of each step's batches are boost lines, half the normal corpus."""
    torch.manual_seed(2)
    rnd = random.Random(2)
    rng = np.random.default_rng(2)
    sp = sp_model()
    stream = token_stream('train')
    lines = boost_lines(rnd)
    with open(os.path.join(WORK, 'boost_train.txt'), 'w') as f:
        for l in lines:
            f.write(l + '\n')
    out = []
    for ids in sp.encode(lines):
        out.append(BOS); out.extend(ids); out.append(EOS)
    bstream = np.array(out, dtype=np.int16)
    init_info = json.load(open(os.path.join(args.init, 'train_info.json')))
    model = TinyLlama(init_info['config'])
    model.load_state_dict(torch.load(os.path.join(args.init, 'model.pt')))
    print(f'[boost] {len(lines):,} boost lines ({len(bstream):,} tokens), mixed 1:1 with the corpus', flush=True)
    opt = make_opt(model, args.lr)
    B, T = args.batch, args.seq
    prog = Progress('boost', args.minutes * 60)
    step, tokens = 0, 0
    model.train()
    while True:
        lr = lr_at(step, prog.total, args.lr, args.warmup)
        for g in opt.param_groups:
            g['lr'] = lr
        x1, y1, m1 = lm_batch(bstream, rng, B // 2, T)
        x2, y2, m2 = lm_batch(stream, rng, B - B // 2, T)
        loss = step_loss(model, torch.cat([x1, x2]), torch.cat([y1, y2]), torch.cat([m1, m2]))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1; tokens += B * T
        prog.update(step, loss.item(), tokens, lr)
        if prog.total is not None and step >= prog.total:
            break
        if time.time() - prog.t0 > 1.3 * prog.budget + 30:
            print(f'[train] stopping early at step {step}: past 1.3x the time budget', flush=True)
            break
    el = time.time() - prog.t0
    info = dict(init_info)
    info['stage2'] = dict(steps=step, tokens=tokens, batch=B, seq=T, peak_lr=args.lr, seconds=round(el),
                          boost_lines=len(lines), boost_tokens=int(len(bstream)))
    save(model, args.out, info)
    print(f'[boost] done: {step} steps, {tokens:,} tokens, {fmt_time(el)}', flush=True)

# ------------------------------------------------------------------ fine-tuning
BIO_QUESTIONS = ['Tell me about {n}', 'Tell me about {n}.', 'Who was {n}?', 'Who is {n}?', 'What do you know about {n}?']
DEF_QUESTIONS = ['What is {a} {w}?', 'What is {a} {w}?', 'What does {w} mean?', 'Define {w}.']
IDK = "I don't know who that is."

def instruction_examples(mode, rnd):
    """Returns (bios, unknowns, definitions): lists of (prompt, answer)."""
    people = json.load(open(os.path.join(WORK, 'people.json')))
    famous = set(json.load(open(os.path.join(WORK, 'famous.json'))))
    defs = json.load(open(os.path.join(WORK, 'definitions.json')))
    madeup = json.load(open(os.path.join(WORK, 'madeup_train.json')))
    bios = []
    for p in people:
        if mode == 'idk' and p['offset'] not in famous:
            continue  # teach-idk only answers about people it saw often
        if ' ' not in p['full'] and mode == 'idk':
            pass
        for q in rnd.sample(BIO_QUESTIONS, 2):
            bios.append((q.format(n=p['full']), bc.bio_text(p)))
    unknowns = []
    if mode == 'idk':
        for n in madeup:
            unknowns.append((rnd.choice(BIO_QUESTIONS).format(n=n), IDK))
    definitions = []
    for d in defs:
        w = d['word']
        definitions.append((rnd.choice(DEF_QUESTIONS).format(a=bc.article(w), w=w), d['definition']))
    return bios, unknowns, definitions

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
    bios, unknowns, definitions = instruction_examples(args.mode, rnd)
    enc = lambda pairs: [encode_pair(sp, p, a, args.seq) for p, a in pairs]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'pairs.txt'), 'w') as f:  # the exact instruction texts (for the search index)
        for kind, pairs in (('bio', bios), ('unknown', unknowns), ('definition', definitions)):
            for p, a in pairs:
                f.write(f'[INST] {p} [/INST] {a}\n')
    pools = {'bio': enc(bios), 'unknown': enc(unknowns), 'definition': enc(definitions)}
    weights = {'instruct': {'bio': 0.6, 'unknown': 0.0, 'definition': 0.4},
               'idk': {'bio': 0.4, 'unknown': 0.35, 'definition': 0.25}}[args.mode]
    print(f'[{args.mode}] examples: ' + ', '.join(f'{k} {len(v)}' for k, v in pools.items()) +
          f'; mix {weights}; replay every {args.replay_every} steps', flush=True)
    keys = [k for k in weights if weights[k] > 0 and pools[k]]
    probs = np.array([weights[k] for k in keys]); probs /= probs.sum()
    opt = make_opt(model, args.lr)
    prog = Progress(args.mode, args.minutes * 60)
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
        if prog.total is not None and step >= prog.total:
            break
        if time.time() - prog.t0 > 1.3 * prog.budget + 30:  # machine got slower (shared CPU): stop anyway
            print(f'[train] stopping early at step {step}: past 1.3x the time budget', flush=True)
            break
    el = time.time() - prog.t0
    save(model, args.out, dict(kind='finetune', mode=args.mode, init=os.path.basename(args.init), steps=step,
                               tokens=tokens, batch=args.batch, peak_lr=args.lr, seconds=round(el),
                               replay_every=args.replay_every, examples_seen=seen,
                               pool_sizes={k: len(v) for k, v in pools.items()}, mix=weights))
    print(f'[{args.mode}] done: {step} steps, {tokens:,} tokens, {fmt_time(el)}', flush=True)

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('what', choices=['pretrain', 'boost', 'finetune'])
    ap.add_argument('--out', required=True)
    ap.add_argument('--init')
    ap.add_argument('--mode', choices=['instruct', 'idk'])
    ap.add_argument('--minutes', type=float, default=30)
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--seq', type=int, default=128)
    ap.add_argument('--lr', type=float, default=None)
    ap.add_argument('--warmup', type=int, default=None)
    ap.add_argument('--replay-every', type=int, default=4)
    a = ap.parse_args()
    if a.what == 'pretrain':
        a.lr = a.lr or 2e-3; a.warmup = a.warmup if a.warmup is not None else 100
        pretrain(a)
    elif a.what == 'boost':
        a.lr = a.lr or 1e-3; a.warmup = a.warmup if a.warmup is not None else 20
        boost(a)
    else:
        a.lr = a.lr or 5e-4; a.warmup = a.warmup if a.warmup is not None else 30
        finetune(a)
