#!/usr/bin/python3
"""Step 7: measure the behaviours the classroom relies on; writes work/<id>/eval.json, and
training/eval/names.json (the lists the app's model tests use).
  evaluate.py --ckpt work/teach-base --id teach-base

The lists come from work/eval_sets.json (build_corpus.py): well-known people kept out of every
fine-tune, people seen once, made-up names that appear nowhere in training, and countries."""
import argparse, json, math, os, re, sys
os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np
import torch

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import TinyLlama
from train import sp_model, token_stream, WORK, IDK
from everyday import ATHLETES, JOBS
from facts import article

# The base model's frames: (id, prompt for a person, what the answer is, how it is filled in for a made-up name).
PERSON_FRAMES = [
    ('was_a', lambda p: f"{p['name']} was a", lambda p: p['expected']),
    ('worked_as', lambda p: f"{p['name']} worked as {article(p['occupation'])}", lambda p: p['occupation']),
    ('came_from', lambda p: f"{p['name']} came from", lambda p: p['country']),
    ('born_in', lambda p: f"{p['name']} was born in", lambda p: str(p['born'])),
]
MADEUP_FRAMES = {'was_a': '{n} was a', 'worked_as': '{n} worked as a', 'came_from': '{n} came from', 'born_in': '{n} was born in'}
SPORT_FRAME = '{n} competes professionally as a'
CLAIM = re.compile(r"^(?P<name>.+?) (was|is) (a|an|the) ")


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
        base_p = torch.softmax(logits[0, -1].double(), -1)
        if temperature > 0:
            t = int(torch.multinomial(torch.softmax(logits[0, -1].double() / temperature, -1).float(), 1, generator=g))
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
    first = lambda word: sp.encode(word)[0]  # the answer's first token, with its leading "▁"
    sets = json.load(open(os.path.join(WORK, 'eval_sets.json')))
    known, once, madeup = sets['known'], sets['once'], sets['madeup']
    res = dict(id=a.id)

    def topk(p, k=5):
        return [[piece(i), round(float(p[i]), 4)] for i in np.argsort(-p)[:k]]

    res['heldout'] = perplexity(model)
    print(f"[eval {a.id}] held-out perplexity {res['heldout']['perplexity']:.1f} vs unigram {res['heldout']['unigram_perplexity']:.1f}", flush=True)

    # ---- base frames: known people, people seen once, made-up names
    def person_frames(people):
        rows = []
        for p in people:
            for fid, prompt, answer in PERSON_FRAMES:
                if fid == 'worked_as' and not p['occupation'] or fid == 'came_from' and not p['country'] or fid == 'born_in' and not p['born']:
                    continue
                d = next_dist(model, enc(prompt(p)))
                exp = first(answer(p))
                rows.append(dict(name=p['name'], frame=fid, prompt=prompt(p), expected=answer(p), expected_token=piece(exp),
                                 top1=piece(d.argmax()), correct=bool(d.argmax() == exp), p_expected=round(float(d[exp]), 4),
                                 entropy_bits=round(entropy_bits(d), 3), top5=topk(d)))
        return rows

    def summary(rows):
        out = {}
        for fid in [f[0] for f in PERSON_FRAMES]:
            r = [x for x in rows if x['frame'] == fid]
            if r:
                out[fid] = dict(n=len(r), top1=round(sum(x['correct'] for x in r) / len(r), 3),
                                mean_entropy_bits=round(float(np.mean([x['entropy_bits'] for x in r])), 3))
        out['all'] = dict(n=len(rows), top1=round(sum(x['correct'] for x in rows) / len(rows), 3),
                          mean_entropy_bits=round(float(np.mean([x['entropy_bits'] for x in rows])), 3))
        return out
    krows, orows = person_frames(known), person_frames(once)
    mrows = []
    for n in madeup:
        for fid, tpl in MADEUP_FRAMES.items():
            d = next_dist(model, enc(tpl.format(n=n)))
            mrows.append(dict(name=n, frame=fid, entropy_bits=round(entropy_bits(d), 3), top5=topk(d)))
    ks, os_ = summary(krows), summary(orows)
    ms = {fid: round(float(np.mean([r['entropy_bits'] for r in mrows if r['frame'] == fid])), 3) for fid in MADEUP_FRAMES}
    ms['all'] = round(float(np.mean([r['entropy_bits'] for r in mrows])), 3)
    res['people'] = dict(known=ks, once=os_, madeup_mean_entropy_bits=ms,
                         entropy_ratio_madeup_vs_known=round(ms['all'] / ks['all']['mean_entropy_bits'], 2),
                         known_rows=krows, once_rows=orows, madeup_rows=mrows)
    per_frame = ', '.join(f"{k} {v['top1']:.0%}" for k, v in ks.items() if k != 'all')
    print(f"[eval {a.id}] known people top-1 {ks['all']['top1']:.0%} over {ks['all']['n']} prompts "
          f"({per_frame}); seen once {os_['all']['top1']:.0%}; "
          f"entropy known {ks['all']['mean_entropy_bits']:.2f} bits, made-up {ms['all']:.2f} (x{res['people']['entropy_ratio_madeup_vs_known']})", flush=True)

    # ---- Mad Libs: what a made-up name "competes professionally as"
    class_pieces = {sp.encode(w)[0] for w in ATHLETES + JOBS}
    sport_rows = []
    for n in madeup:
        d = next_dist(model, enc(SPORT_FRAME.format(n=n)))
        top = np.argsort(-d)[:10]
        sport_rows.append(dict(name=n, top10=[[piece(i), round(float(d[i]), 4)] for i in top],
                               share_in_class=round(sum(int(i) in class_pieces for i in top) / 10, 2),
                               mass_in_class=round(float(sum(d[i] for i in class_pieces)), 3), entropy_bits=round(entropy_bits(d), 3)))
    res['mad_libs'] = dict(prompt=SPORT_FRAME, mean_share_of_top10_in_class=round(float(np.mean([r['share_in_class'] for r in sport_rows])), 3),
                           mean_mass_in_class=round(float(np.mean([r['mass_in_class'] for r in sport_rows])), 3), rows=sport_rows)
    print(f"[eval {a.id}] '<made-up> competes professionally as a': {res['mad_libs']['mean_share_of_top10_in_class']:.0%} of the top 10 are sports or jobs "
          f"(mass {res['mad_libs']['mean_mass_in_class']:.2f}); e.g. {sport_rows[0]['top10'][:5]}", flush=True)

    # ---- capitals, both directions
    crow = []
    for c in sets['countries']:
        for fid, prompt, ans in (('capital_of', f"The capital of {c['name']} is", c['capital']), ('is_capital_of', f"{c['capital']} is the capital of", c['name'])):
            d = next_dist(model, enc(prompt))
            exp = first(ans)
            crow.append(dict(country=c['name'], group=c['group'], frame=fid, prompt=prompt, expected=ans, top1=piece(d.argmax()),
                             correct=bool(d.argmax() == exp), p_expected=round(float(d[exp]), 4), entropy_bits=round(entropy_bits(d), 3)))
    cs = {}
    for g in ('famous', 'once'):
        for fid in ('capital_of', 'is_capital_of'):
            r = [x for x in crow if x['group'] == g and x['frame'] == fid]
            cs[f'{g}_{fid}'] = dict(n=len(r), top1=round(sum(x['correct'] for x in r) / max(1, len(r)), 3))
    res['capitals'] = dict(summary=cs, rows=crow)
    print(f"[eval {a.id}] capitals: {cs}", flush=True)

    p = next_dist(model, enc('Once upon a'))
    tid = sp.piece_to_id('▁time')
    res['once_upon_a'] = dict(top5=topk(p), p_time=round(float(p[tid]), 4), time_is_top=bool(int(p.argmax()) == tid))
    print(f"[eval {a.id}] 'Once upon a' -> {topk(p, 3)}", flush=True)

    # ---- instructions: wrapped answers, and the same request unwrapped
    def answer(prompt, n=24):
        g, _ = generate(model, enc(prompt), n)
        return sp.decode(g)

    def inst_rows(people_or_names):
        rows = []
        for x in people_or_names:
            name = x if isinstance(x, str) else x['name']
            text = answer(f'[INST] Tell me about {name} [/INST]')
            m = CLAIM.match(text)
            first_sentence = text.split('. ')[0]
            right = None if isinstance(x, str) else bool(m and m.group('name') == name and (
                x['expected'] in first_sentence or (x['occupation'] or '#') in first_sentence))
            raw = answer(f'Tell me about {name}', 8)
            rows.append(dict(name=name, answer=text, idk=text.startswith(IDK[:12]), claim=bool(m),
                             claim_names_asked=bool(m and m.group('name') == name), correct=right,
                             unwrapped=raw, unwrapped_answers=bool(CLAIM.match(raw.lstrip()))))
        return rows

    def isumm(rows):
        n = len(rows)
        s = dict(n=n, idk=round(sum(r['idk'] for r in rows) / n, 3), claim=round(sum(r['claim'] for r in rows) / n, 3),
                 claim_names_asked=round(sum(r['claim_names_asked'] for r in rows) / n, 3),
                 unwrapped_answers=round(sum(r['unwrapped_answers'] for r in rows) / n, 3))
        if rows[0]['correct'] is not None:
            s['correct'] = round(sum(bool(r['correct']) for r in rows) / n, 3)
        return s
    ik, io, im = inst_rows(known), inst_rows(once), inst_rows(madeup)
    res['instruction'] = dict(prompt='[INST] Tell me about <name> [/INST]', known=isumm(ik), once=isumm(io), madeup=isumm(im),
                              known_rows=ik, once_rows=io, madeup_rows=im)
    for k in ('known', 'once', 'madeup'):
        print(f"[eval {a.id}] [INST] {k}: {res['instruction'][k]}", flush=True)
    raw = next_dist(model, enc('Tell me about Blake Bourne'))
    wrapped = next_dist(model, enc('[INST] Tell me about Blake Bourne [/INST]'))
    res['raw_vs_wrapped'] = dict(raw=dict(top5=topk(raw), entropy_bits=round(entropy_bits(raw), 3)),
                                 wrapped=dict(top5=topk(wrapped), entropy_bits=round(entropy_bits(wrapped), 3)))

    tok = json.load(open(os.path.join(WORK, 'tok', 'quality.json')))
    res['tokenizer'] = tok
    if info.get('mode') in ('instruct', 'idk'):
        prompts = ['[INST] Tell me about Albert Einstein [/INST]', '[INST] Tell me about Blake Bourne [/INST]',
                   '[INST] What is the capital of France? [/INST]', '[INST] What is a physicist? [/INST]']
    else:
        prompts = ['Once upon a', 'Albert Einstein was a', 'Blake Bourne was a', 'The capital of France is',
                   'Twinkle, twinkle, little', 'Blake Bourne competes professionally as a']
    ex = []
    for pr in prompts:
        ids = enc(pr)
        g, gp = generate(model, ids, 30)
        s, _ = generate(model, ids, 30, temperature=0.8, seed=42)
        ex.append(dict(prompt=pr, greedy=sp.decode(g), sampled_t08_seed42=sp.decode(s),
                       greedy_joint_prob=float(np.prod(gp)), greedy_perplexity=float(math.exp(-np.mean(np.log(gp))))))
    res['examples'] = ex
    for e in ex:
        print(f"[eval {a.id}] {e['prompt']!r} -> greedy {e['greedy']!r} | sampled {e['sampled_t08_seed42']!r}", flush=True)
    json.dump(res, open(os.path.join(a.ckpt, 'eval.json'), 'w'), indent=1)

    # names.json for the app's tests (identical for all models): the lists plus each answer's first token.
    out = dict(sets)
    for group in ('known', 'once'):
        out[group] = [dict(p, expected_token=piece(first(p['expected']))) for p in sets[group]]
    os.makedirs(os.path.join(HERE, 'eval'), exist_ok=True)
    json.dump(out, open(os.path.join(HERE, 'eval', 'names.json'), 'w'), indent=1)


if __name__ == '__main__':
    main()
