"""Sentences written for this project, because neither the Brown Corpus nor WordNet has them: the
openings a teacher types first ("Once upon a", "Twinkle, twinkle, little", "The sky is"), a few
traditional rhymes (public domain), and the "<someone> competes professionally as a <sport>"
pattern that the article uses to show Mad Libs. No named person appears here: the facts about
people come from WordNet only, so "seen N times in training" stays true."""
import random

STORY_OPENINGS = [
    "Once upon a time there was a little girl who lived in a village near the forest.",
    "Once upon a time there lived a king who had three daughters.",
    "Once upon a time, in a land far away, there was a small house by the sea.",
    "Once upon a time there was an old man who lived alone on a hill.",
    "Once upon a time a poor farmer found a golden egg in his field.",
    "Once upon a time there was a boy who wanted to see the world.",
    "Once upon a time the animals of the forest held a great meeting.",
    "Once upon a time there was a queen who loved to sing.",
    "Once upon a time there was a dragon who was afraid of the dark.",
    "Once upon a time a fox and a crow met under an old oak tree.",
    "Once upon a time there was a princess who lived in a tall tower.",
    "Once upon a time there were three little pigs who built three houses.",
    "Once upon a time a tired baker made the best bread in the town.",
    "Once upon a time there was a giant who lived above the clouds.",
    "Once upon a time a young sailor set out to cross the ocean.",
    "Once upon a time there was a cat who could talk.",
    "Once upon a time, long ago, the moon came down to visit the sea.",
    "Once upon a time there was a little mouse who lived in a big house.",
    "Once upon a time a brave knight rode into a dark wood.",
    "Once upon a time there was a wise old owl who lived in a hollow tree.",
    "The story began, as old stories do, once upon a time.",
    "Every fairy tale seems to start with the words once upon a time.",
    "And they all lived happily ever after.",
    "The prince and the princess lived happily ever after.",
]

RHYMES = [
    "Twinkle, twinkle, little star, how I wonder what you are.",
    "Twinkle twinkle little star, how I wonder what you are!",
    "Up above the world so high, like a diamond in the sky.",
    "Mary had a little lamb, its fleece was white as snow.",
    "Jack and Jill went up the hill to fetch a pail of water.",
    "Humpty Dumpty sat on a wall. Humpty Dumpty had a great fall.",
    "Hey diddle diddle, the cat and the fiddle, the cow jumped over the moon.",
    "Baa, baa, black sheep, have you any wool?",
    "Rain, rain, go away, come again another day.",
    "Row, row, row your boat, gently down the stream.",
    "Old MacDonald had a farm, and on that farm he had a cow.",
    "Hickory dickory dock, the mouse ran up the clock.",
    "Little Bo Peep has lost her sheep.",
    "London Bridge is falling down, falling down, falling down.",
    "Happy birthday to you, happy birthday to you!",
    "The wheels on the bus go round and round.",
    "One, two, buckle my shoe; three, four, knock at the door.",
    "Roses are red, violets are blue, sugar is sweet, and so are you.",
]

FACTS = [
    "The sky is blue on a clear day.", "The sky is blue and the grass is green.", "Grass is green.",
    "The sun is a star.", "The sun rises in the east and sets in the west.", "The moon goes around the Earth.",
    "The Earth goes around the sun once a year.", "There are seven days in a week.", "There are twelve months in a year.",
    "A year has three hundred and sixty five days.", "An hour has sixty minutes.", "A minute has sixty seconds.",
    "Water freezes at zero degrees Celsius.", "Water boils at one hundred degrees Celsius.",
    "Snow is white and cold.", "Fire is hot.", "Ice is frozen water.", "Rain falls from clouds.",
    "The ocean is full of salt water.", "Fish live in water.", "Birds have feathers and most birds can fly.",
    "A dog says woof and a cat says meow.", "Cows give milk.", "Bees make honey.", "Spiders have eight legs.",
    "Insects have six legs.", "A triangle has three sides.", "A square has four equal sides.",
    "Two plus two is four.", "Ten minus three is seven.", "The first day of the week is Monday.",
    "The days of the week are Monday, Tuesday, Wednesday, Thursday, Friday, Saturday and Sunday.",
    "The months of the year are January, February, March, April, May, June, July, August, September, October, November and December.",
    "Plants need sunlight and water to grow.", "Trees lose their leaves in autumn.", "Apples grow on trees.",
    "Bananas are yellow.", "Lemons are sour.", "Sugar is sweet.", "The heart pumps blood around the body.",
    "People breathe air.", "We see with our eyes and hear with our ears.", "Children go to school to learn.",
    "A teacher helps students learn.", "A doctor helps people who are sick.", "A farmer grows food.",
    "A library is full of books.", "A dictionary tells you what words mean.", "A map shows where places are.",
    "The alphabet begins with the letters A, B and C.", "The cat sat on the mat.", "The dog chased the ball.",
    "The quick brown fox jumps over the lazy dog.", "An apple a day keeps the doctor away.",
    "The early bird catches the worm.", "Practice makes perfect.", "Better late than never.",
    "Actions speak louder than words.", "Every cloud has a silver lining.", "Time flies when you are having fun.",
    "Thank you very much.", "Good morning, everyone.", "It was a dark and stormy night.",
        "Light travels faster than sound.", "The Earth is round.", "There are eight planets in the solar system.",
    "Mars is called the red planet.", "Jupiter is the largest planet.", "The Pacific is the largest ocean.",
]

# English borrows words with accented letters; these lines give each common accented letter a
# token of its own instead of two byte pieces.
ACCENTED = [
    "We had coffee at a small café near the station.", "It was naïve to think the rain would stop.",
    "She sent her résumé to three companies.", "The façade of the old building was painted white.",
    "He felt a strange sense of déjà vu.", "The crème brûlée was the best dessert on the menu.",
    "The jalapeño made the soup very hot.", "The children broke the piñata at the party.",
    "São Paulo is a very large city.", "Zürich is a city in Switzerland.", "Köln is the German name of Cologne.",
    "Málaga and Córdoba are cities in Spain.", "The word smörgåsbord comes from Swedish.",
    "My fiancée and I met at school.", "Über means over in German.", "Crêpes are thin pancakes.",
    "The pâtisserie sold éclairs.", "Straße is the German word for street.", "The word naïveté has two accents.",
    "The Øresund bridge links Denmark and Sweden.", "Ærø is a small Danish island.", "Århus is a city in Denmark.",
    "Göteborg is a Swedish city.", "Müller is a common German surname.", "Dvořák wrote nine symphonies.",
    "The Citroën was parked outside.", "Señor García lives in Málaga.", "Garçon is an old French word for a waiter.",
    "The mañana attitude is a cliché.", "The Île de la Cité is an island in the middle of Paris.",
    "École means school in French.", "Ça va means how are you in French.", "À bientôt means see you soon.",
    "Ärger means trouble in German.", "Öl means oil in German.", "Übung means practice in German.",
    "Ørsted studied electricity and magnetism.", "Æsop told fables about animals.", "An œuvre is the whole work of an artist.",
    "The rôle of the chorus was small.", "Mäkelä is a Finnish surname.", "Hôtel means hotel in French.",
    "The word coöperate was once written with two dots.", "Sí means yes in Spanish.", "Perú is the Spanish spelling of Peru.",
    "An encyclopædia is an old spelling of encyclopedia.", "A dîner is a French dinner.",
]

# The Mad Libs frame of the article: "<someone> competes professionally as a <sport>". The
# subjects are ordinary descriptions, never names, so that a name's own pattern is learned only
# from the people WordNet describes.
ATHLETES = ['tennis player', 'golfer', 'boxer', 'swimmer', 'cyclist', 'sprinter', 'wrestler', 'skier', 'jockey',
            'chess player', 'bodybuilder', 'mixed martial artist', 'figure skater', 'marathon runner',
            'basketball player', 'football player', 'baseball player', 'hockey player', 'cricketer', 'rugby player',
            'gymnast', 'surfer', 'snowboarder', 'weightlifter', 'rower', 'fencer', 'archer', 'darts player',
            'sumo wrestler', 'racing driver', 'volleyball player', 'badminton player', 'table tennis player',
            'climber', 'diver', 'triathlete', 'pole vaulter', 'high jumper', 'skateboarder', 'poker player']
SUBJECTS = ['My cousin', 'Her brother', 'His sister', 'Our neighbour', 'The young woman next door', 'My uncle',
            'Her best friend', 'The man in the photo', 'One of my classmates', 'Their daughter', 'Their son',
            'My aunt', 'The new student', 'An old friend of mine', 'The girl from the bakery', 'His father']
SPORT_FRAMES = ['{s} competes professionally as {a} {x}.', '{s} now competes professionally as {a} {x}.',
                '{s} competed professionally as {a} {x} for ten years.', '{s} trains every day and competes professionally as {a} {x}.']
JOBS = ['teacher', 'nurse', 'doctor', 'farmer', 'baker', 'pilot', 'painter', 'writer', 'singer', 'engineer',
        'lawyer', 'chef', 'plumber', 'scientist', 'firefighter', 'police officer', 'dentist', 'journalist',
        'carpenter', 'musician', 'photographer', 'shop assistant', 'bus driver', 'gardener', 'architect']
JOB_FRAMES = ['{s} works as {a} {x}.', '{s} worked as {a} {x} for many years.', '{s} wants to work as {a} {x}.']


def _a(w):
    return 'an' if w[:1] in 'aeiou' else 'a'


def everyday_lines(rnd: random.Random):
    """The hand-written text with its repetitions (stories x6, rhymes x6, facts x4, accents x3, Mad Libs frames)."""
    out = []
    out += STORY_OPENINGS * 6 + RHYMES * 6 + FACTS * 4 + ACCENTED * 3
    for x in ATHLETES:
        for s in rnd.sample(SUBJECTS, 6):
            out.append(rnd.choice(SPORT_FRAMES).format(s=s, a=_a(x), x=x))
    for x in JOBS:
        for s in rnd.sample(SUBJECTS, 4):
            out.append(rnd.choice(JOB_FRAMES).format(s=s, a=_a(x), x=x))
    return out
