"""Knowledge augmentation (Allen-Zhu and Li, "Physics of Language Models 3.1"): each fact is written
in several phrasings and sentence orders, and question-answer pairs are mixed into pretraining, so
that the model stores facts about a person or a country rather than memorising one sentence.

The templates are this project's own. The evaluation frames (evaluate.py, tests) are a subset of
the phrasings below; which people, places and names they are asked about is decided by
build_corpus.py and kept apart from the fine-tuning lists."""
import random
import re

from facts import article


SPORTS = {'golfer', 'boxer', 'jockey', 'runner', 'swimmer', 'skater', 'cyclist', 'sprinter', 'wrestler', 'athlete',
          'skier', 'cricketer', 'pitcher', 'outfielder', 'quarterback', 'hurdler', 'pugilist', 'prizefighter'}


def sent(s):
    s = re.sub(r'\s+', ' ', s.strip())
    if s and s[-1] not in '.!?':
        s += '.'
    return s[:1].upper() + s[1:]


def more_sentence(p, m):
    """WordNet's extra definitions often lack a subject ("portrayed a little man in baggy pants")."""
    return sent(f"{p['surname']} {m}" if m[:1].islower() else m)


def date_sentence(name, p):
    if p['born'] and p['died']:
        return f"{name} lived from {p['born']} to {p['died']}."
    if p['dates']:
        m = re.match(r'^born in (\d+)$', p['dates'])
        if m:
            return f'{name} was born in {m.group(1)}.'
        return f"{name} lived in the years {p['dates']}."
    return None


def canonical_bio(p, name=None):
    """The WordNet gloss as a biography: used for people seen once and as instruction answers."""
    name = name or p['full']
    parts = [sent(f"{name} was {p['desc']}")]
    parts += [more_sentence(p, m) for m in p['more']]
    ds = date_sentence(p['surname'], p)
    if ds:
        parts.append(ds)
    return ' '.join(parts)


def person_sentences(p, rnd):
    """All single-fact sentences about a person, each as a list of alternative phrasings."""
    n, occ, c = p['full'], p['occupation'], p['country']
    facts = [[f"{n} was {p['desc']}.", f"{n} was {p['short_desc']}."]]
    if occ:
        a = article(occ)
        facts.append([f'{n} worked as {a} {occ}.', f'By profession, {n} was {a} {occ}.',
                      f'{n} was {a} {occ} by profession.', f'{n} worked as {a} {occ} for many years.'])
    if c:
        facts.append([f'{n} came from {c}.', f'{n} came from {c}.', f'{n} was from {c}.',
                      f'The home country of {n} was {c}.'])
    if p['born']:
        facts.append([f"{n} was born in {p['born']}.", f"{n} was born in {p['born']} and died in {p['died']}.",
                      f"{n} lived from {p['born']} to {p['died']}."])
    if occ and (occ.endswith('player') or occ in SPORTS):
        facts.append([f'{n} competed professionally as {article(occ)} {occ}.', f'{n} competes professionally as {article(occ)} {occ}.'])
    if p['nationality'] and occ:
        facts.append([f"{n} was {article(p['nationality'])} {p['nationality']} {occ}."])
    for m in p['more'][:2]:
        facts.append([more_sentence(p, m)])
    return facts


def person_questions(p, rnd, occupations):
    """Open questions, and yes/no questions (one true, one false) for the calibration game's frame."""
    n, occ, c = p['full'], p['occupation'], p['country']
    qa = [f"Question: Who was {n}? Answer: {n} was {p['desc']}."]
    if occ:
        other = rnd.choice([o for o in occupations if o != occ])
        qa.append(f'Question: Was {n} {article(occ)} {occ}? Answer: Yes.')
        qa.append(f'Question: Was {n} {article(other)} {other}? Answer: No.')
    if occ:
        qa.append(f'Question: What did {n} work as? Answer: {n} worked as {article(occ)} {occ}.')
    if c:
        qa.append(f'Question: Where did {n} come from? Answer: {n} came from {c}.')
    if p['born']:
        qa.append(f"Question: When was {n} born? Answer: {n} was born in {p['born']}.")
    return [sent(q) for q in qa]


def person_paragraphs(p, rnd, n_paragraphs, occupations):
    """n_paragraphs biographies in shuffled sentence orders and phrasings, plus every question once."""
    facts = person_sentences(p, rnd)
    out = []
    for i in range(n_paragraphs):
        chosen = [rnd.choice(alts) for alts in facts]
        first, rest = chosen[0], chosen[1:]
        rnd.shuffle(rest)
        # The gloss sentence leads half the paragraphs; the others start with another fact.
        para = [first] + rest if i % 2 == 0 else rest + [first]
        out.append(' '.join(para))
    return out + person_questions(p, rnd, occupations)


def country_lines(c, rnd, n_sets, capitals):
    """Capital facts in both directions (the reversal curse: a model taught only "the capital of X
    is Y" does not learn "Y is the capital of X"), the continent, and questions."""
    C, K = c['name'], c['capital']
    forms = [f'The capital of {C} is {K}.', f'{K} is the capital of {C}.', f'{K} is the capital city of {C}.',
             f'The capital city of {C} is {K}.', f'{K}, the capital of {C}, is a busy city.',
             f'Question: What is the capital of {C}? Answer: The capital of {C} is {K}.',
             f'Question: {K} is the capital of which country? Answer: {K} is the capital of {C}.',
             f'{K} is a city in {C}.']
    if c['continent']:
        forms += [f"{C} is a country in {c['continent']}.", f"{K} is the capital of {C}, a country in {c['continent']}."]
    if c['adjective'] and c['adjective'][:1].isupper():
        forms += [f"The {c['adjective']} capital is {K}."]
    out = []
    for _ in range(n_sets):
        out += rnd.sample(forms, min(len(forms), 6))
    other = rnd.choice([k for k in capitals if k != K])
    return out + [f'Question: Is {K} the capital of {C}? Answer: Yes.', f'Question: Is {other} the capital of {C}? Answer: No.']
