#!/usr/bin/python3
"""Step 5: measure the behaviours the classroom relies on; writes work/<id>/eval.json and
training/eval/names.json.
  evaluate.py --ckpt work/teach-base --id teach-base"""
import argparse, json, math, os, re, sys
os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np
import torch

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import TinyLlama
from train import sp_model, token_stream, WORK

def load(ckpt):
    info = json.load(open(os.path.join(ckpt, 'train_info.json')))
    m = TinyLlama(info['config'])
    m.load_state_dict(torch.load(os.path.join(ckpt, 'model.pt')))
    m.eval()
    return m, info

@torch.no_grad()
def next_dist(model, ids):
    logits, _ = model(torch.tensor([ids]))
    return torch.softmax(logits[0, -1].double(), -1).numpy()

def entropy_bits(p):
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())

@torch.no_grad()
def generate(model, ids, n, temperature=0.0, seed=0, stop=2):
    g = torch.Generator().manual_seed(seed)
    logits, past = model(torch.tensor([ids]))
    out, probs = [], []
    pos = len(ids)
    for _ in range(n):
        p = torch.softmax(logits[0, -1].double() / max(temperature, 1e-6), -1) if temperature > 0 else None
        base_p = torch.softmax(logits[0, -1].double(), -1)
        if temperature > 0:
            t = int(torch.multinomial(p.float(), 1, generator=g))
        else:
            t = int(base_p.argmax())
        out.append(t); probs.append(float(base_p[t]))
        if t == stop:
            break
        logits, past = model(torch.tensor([[t]]), None, torch.tensor([[pos]]), past)
        pos += 1
    return out, probs

@torch.no_grad()
def perplexity(model, max_tokens=80000, T=128):
    train = token_stream('train')
    test = token_stream('test')[:max_tokens + 1]
    V = model.config['vocab_size']
    counts = np.bincount(train.astype(np.int64), minlength=V).astype(np.float64) + 1.0
    uni = counts / counts.sum()
    nll, n, uni_nll = 0.0, 0, 0.0
    for s in range(0, len(test) - 1, T):
        chunk = torch.from_numpy(test[s:s + T + 1].astype(np.int64))
        if len(chunk) < 2:
            break
        x, y = chunk[:-1][None], chunk[1:][None]
        logits, _ = model(x)
        lp = torch.log_softmax(logits[0].double(), -1)
        nll -= float(lp[torch.arange(len(y[0])), y[0]].sum())
        uni_nll -= float(np.log(uni[y[0].numpy()]).sum())
        n += len(y[0])
    return dict(tokens=n, perplexity=math.exp(nll / n), unigram_perplexity=math.exp(uni_nll / n),
                bits_per_token=nll / n / math.log(2), unigram_bits_per_token=uni_nll / n / math.log(2))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', required=True)
    ap.add_argument('--id', required=True)
    a = ap.parse_args()
    model, info = load(a.ckpt)
    sp = sp_model()
    enc = lambda s: [1] + sp.encode(s)
    piece = lambda i: sp.id_to_piece(int(i))
    names = json.load(open(os.path.join(WORK, 'names.json')))
    res = dict(id=a.id)
    res['heldout'] = perplexity(model)
    print(f"[eval {a.id}] held-out perplexity {res['heldout']['perplexity']:.1f} vs unigram {res['heldout']['unigram_perplexity']:.1f}", flush=True)

    def topk(p, k=5):
        idx = np.argsort(-p)[:k]
        return [[piece(i), round(float(p[i]), 4)] for i in idx]

    known = []
    for k in names['known']:
        p = next_dist(model, enc(f"{k['name']} was a"))
        exp_id = sp.encode(' ' + k['expected'])[0] if False else sp.encode(k['expected'])[0]
        known.append(dict(name=k['name'], expected=k['expected'], expected_token=piece(exp_id),
                          p_expected=round(float(p[exp_id]), 4), top1=piece(int(p.argmax())),
                          correct=bool(int(p.argmax()) == exp_id), entropy_bits=round(entropy_bits(p), 3), top5=topk(p)))
    made = []
    for n in names['madeup']:
        p = next_dist(model, enc(f"{n} was a"))
        made.append(dict(name=n, entropy_bits=round(entropy_bits(p), 3), top5=topk(p)))
    acc = sum(k['correct'] for k in known) / len(known)
    hk = float(np.mean([k['entropy_bits'] for k in known]))
    hm = float(np.mean([m['entropy_bits'] for m in made]))
    res['known_vs_madeup'] = dict(prompt='<name> was a', known_top1_accuracy=round(acc, 3), n_known=len(known),
                                  n_madeup=len(made), known_mean_entropy_bits=round(hk, 3),
                                  madeup_mean_entropy_bits=round(hm, 3), entropy_ratio=round(hm / hk, 2),
                                  known=known, madeup=made)
    print(f"[eval {a.id}] known top-1 {acc:.0%} ({len(known)} names); entropy known {hk:.2f} bits, made-up {hm:.2f} bits, ratio {hm / hk:.2f}", flush=True)

    p = next_dist(model, enc('Once upon a'))
    tid = sp.piece_to_id('▁time')
    res['once_upon_a'] = dict(top5=topk(p), p_time=round(float(p[tid]), 4), time_is_top=bool(int(p.argmax()) == tid))
    print(f"[eval {a.id}] 'Once upon a' -> {topk(p, 3)}", flush=True)

    # Instruction behaviour: what follows [/INST] for known and made-up names.
    idk_id = sp.encode("I don't know")[0]
    def inst(names_list):
        rows = []
        for n in names_list:
            ids = enc(f'[INST] Tell me about {n} [/INST]')
            p = next_dist(model, ids)
            name_id = sp.encode(n)[0]
            g, gp = generate(model, ids, 14)
            text = sp.decode(g)
            kind = 'idk' if text.startswith("I don't know") else ('biography' if text.startswith(n.split()[0]) and ' was ' in text or text.startswith(n) else 'other')
            claim = bool(re.match(r"^[A-Z][A-Za-z.'\- ]{0,40}? (was|is) (a|an|the) ", text))
            rows.append(dict(name=n, p_name_start=round(float(p[name_id]), 4), p_I=round(float(p[idk_id]), 4),
                             greedy=text, greedy_kind=kind, greedy_claim=claim, top5=topk(p)))
        return rows
    ki = inst([k['name'] for k in names['known']])
    mi = inst(names['madeup'])
    def summ(rows):
        return dict(mean_p_name_start=round(float(np.mean([r['p_name_start'] for r in rows])), 3),
                    mean_p_I=round(float(np.mean([r['p_I'] for r in rows])), 3),
                    greedy_biography=round(sum(r['greedy_kind'] == 'biography' for r in rows) / len(rows), 3),
                    greedy_idk=round(sum(r['greedy_kind'] == 'idk' for r in rows) / len(rows), 3),
                    greedy_claim=round(sum(r['greedy_claim'] for r in rows) / len(rows), 3))
    res['instruction'] = dict(prompt='[INST] Tell me about <name> [/INST]', known=summ(ki), madeup=summ(mi),
                              known_rows=ki, madeup_rows=mi)
    print(f"[eval {a.id}] [INST] known: {summ(ki)}", flush=True)
    print(f"[eval {a.id}] [INST] made-up: {summ(mi)}", flush=True)
    # raw vs wrapped (the article's "instruction boundary" example)
    raw = next_dist(model, enc('Tell me about Blake Bourne'))
    wrapped = next_dist(model, enc('[INST] Tell me about Blake Bourne [/INST]'))
    res['raw_vs_wrapped'] = dict(raw=dict(top5=topk(raw), entropy_bits=round(entropy_bits(raw), 3)),
                                 wrapped=dict(top5=topk(wrapped), entropy_bits=round(entropy_bits(wrapped), 3)))

    if info.get('mode') in ('instruct', 'idk'):
        prompts = ['[INST] Tell me about Albert Einstein [/INST]', '[INST] Tell me about Blake Bourne [/INST]',
                   '[INST] What is a physicist? [/INST]']
    else:
        prompts = ['Once upon a', 'Albert Einstein was a', 'Blake Bourne was a']
    ex = []
    for pr in prompts:
        ids = enc(pr)
        g, gp = generate(model, ids, 30)
        s, sp_ = generate(model, ids, 30, temperature=0.8, seed=42)
        ex.append(dict(prompt=pr, greedy=sp.decode(g), sampled_t08_seed42=sp.decode(s),
                       greedy_joint_prob=float(np.prod(gp)), greedy_perplexity=float(math.exp(-np.mean(np.log(gp))))))
    res['examples'] = ex
    for e in ex:
        print(f"[eval {a.id}] {e['prompt']!r} -> greedy {e['greedy']!r} | sampled {e['sampled_t08_seed42']!r}", flush=True)
    json.dump(res, open(os.path.join(a.ckpt, 'eval.json'), 'w'), indent=1)

    # names.json for the app's tests (written once per run; identical for all models)
    out = dict(names)
    out['known'] = [dict(k, expected_token=kk['expected_token']) for k, kk in zip(names['known'], known)]
    os.makedirs(os.path.join(HERE, 'eval'), exist_ok=True)
    json.dump(out, open(os.path.join(HERE, 'eval', 'names.json'), 'w'), indent=1)

if __name__ == '__main__':
    main()
