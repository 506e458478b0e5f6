"""The words of the demo city: name pools typical of Cambridge, Massachusetts, streets,
schools, places, phrases for narratives, and the planted duplicates. Data only; the generator
is :mod:`cases.demo`. Every name is made up from common first and last names: no real person
is meant.
"""

from dataclasses import dataclass

from cases.models import Person

F, M = Person.Gender.FEMALE, Person.Gender.MALE


@dataclass(frozen=True)
class Culture:
    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    languages: tuple[str, ...] = ("English",)
    interpreter: float = 0.0  # share of adults who need one
    race: str = ""
    # How children are named: "father" (his surname), "double" (father's and mother's, as in
    # Spanish), "mother-middle" (mother's as a middle name, as in Portuguese), "patronymic"
    # (the father's given name, as in Ethiopia and Eritrea).
    children: str = "father"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Pools are space-separated words; a hyphen or an apostrophe belongs to the name.
CULTURES: dict[str, Culture] = {
    "irish": Culture(
        14,
        female=_words(
            "Siobhán Maureen Colleen Bridget Eileen Nora Aoife Kathleen Margaret Ciara Erin "
            "Patricia Elizabeth Deborah"
        ),
        male=_words(
            "Patrick Brendan Declan Sean Michael Kevin Liam Ciarán Thomas James Daniel Robert "
            "William Edward Joseph"
        ),
        surnames=_words(
            "Murphy Sullivan O'Brien Kelly Walsh McCarthy Doherty Flaherty O'Connor Donovan "
            "Fitzgerald Gallagher Keane Brennan Callahan Driscoll McNamara Byrne"
        ),
        race="White",
    ),
    "yankee": Culture(
        7,
        female=_words("Emily Sarah Olivia Abigail Rebecca Susan Katherine Dorothy"),
        male=_words("Matthew Andrew Nathaniel Zachary Richard Charles Benjamin"),
        surnames=_words("Smith Miller Carter Thompson Baker Parker Wright Hale"),
        race="White",
    ),
    "hispanic": Culture(
        18,
        female=_words(
            "María Lucía Sofía Ana Verónica Yesenia Carmen Rosa Guadalupe Daniela Gabriela "
            "Inés Marisol Yaritza Ángela"
        ),
        male=_words(
            "José Luis Andrés Ramón Joaquín Carlos Juan Miguel Francisco Héctor Wilfredo "
            "Jonathan Ángel Raúl Edwin"
        ),
        surnames=_words(
            "Hernández Martínez Rodríguez González Peña Núñez Ramírez Castillo Morales Rivera "
            "Ortiz Guzmán Álvarez Jiménez Pérez Santana Reyes Batista Cruz Mejía"
        ),
        languages=("Spanish",),
        interpreter=0.4,
        race="Hispanic or Latino",
        children="double",
    ),
    "haitian": Culture(
        16,
        female=_words(
            "Marie Widline Fabienne Ketly Guerline Nadège Stéphanie Mirlande Jocelyne Darline "
            "Esther Naïka Roselaure Marie-Ange"
        ),
        male=_words(
            "Jean Wilner Frantz Jocelyn Ricardo Woodley Roody Mackenson Jean-Claude Emmanuel "
            "Wilfrid Stanley Réginald Fritz"
        ),
        surnames=_words(
            "Jean-Baptiste Pierre Joseph Louis Charles Étienne Désir Célestin Toussaint "
            "Jean-Louis Dorvil Augustin Fils-Aimé Saint-Fleur Noël Michel Volcy Delva"
        ),
        languages=("Haitian Creole",),
        interpreter=0.35,
        race="Black or African American",
    ),
    "lusophone": Culture(
        13,
        female=_words(
            "Ana Maria Fernanda Gabriela Rafaela Conceição Fátima Juliana Luana Beatriz Tânia "
            "Larissa"
        ),
        male=_words(
            "João Paulo Luís Thiago Leonardo Manuel António Rafael Gustavo Márcio Vinícius Rodrigo"
        ),
        surnames=_words(
            "Silva Santos Oliveira Souza Pereira Costa Ferreira Almeida Carvalho Gonçalves "
            "Medeiros Pacheco Rocha Furtado Amaral Sousa"
        ),
        languages=("Portuguese",),
        interpreter=0.4,
        race="Other",
        children="mother-middle",
    ),
    "ethiopian": Culture(
        8,
        female=_words("Tigist Meron Selam Hiwot Mekdes Almaz Liya Bethlehem Saba Rahel Eden Feven"),
        male=_words(
            "Abebe Dawit Yohannes Bereket Tesfaye Kidus Haile Samuel Yonas Henok Mulugeta Nahom "
            "Tadesse Bekele Girma Alemu"
        ),
        surnames=_words(
            "Tadesse Bekele Gebremedhin Alemu Wolde Kebede Girma Mengistu Assefa Desta Haile "
            "Tesfaye"
        ),
        languages=("Amharic", "Amharic", "Tigrinya"),
        interpreter=0.4,
        race="Black or African American",
        children="patronymic",
    ),
    "chinese": Culture(
        10,
        female=_words("Mei Ling Xiu Yan Jia Hui Amy Jenny Grace Fang"),
        male=_words("Wei Jun Hao Ming Lei Qiang Kevin Jason David Tao"),
        surnames=_words("Chen Li Wang Zhang Liu Huang Lin Wu Zhou Chan Wong Lee"),
        languages=("Mandarin", "Mandarin", "Cantonese"),
        interpreter=0.5,
        race="Asian",
    ),
    "african-american": Culture(
        14,
        female=_words("Imani Nia Brianna Keisha Jasmine Tamika Aaliyah Denise Monique Kiara"),
        male=_words("Malik Darnell Terrence Andre Marcus Jamal Derek Isaiah Xavier Curtis"),
        surnames=_words(
            "Washington Jackson Johnson Williams Brown Davis Harris Robinson Jenkins Coleman "
            "Greene Banks"
        ),
        race="Black or African American",
    ),
}
# Children of immigrant families are often given names common in their American school.
SCHOOLYARD = {
    F: _words("Brianna Ashley Emily Nicole Stephanie Jessica Kayla Destiny"),
    M: _words("Kevin Jayden Christopher Jonathan Anthony Justin Brandon Dylan"),
}
NICKNAMES = dict(
    pair.split(":")
    for pair in _words(
        "Robert:Bobby William:Billy Elizabeth:Liz Katherine:Katie Michael:Mikey James:Jimmy "
        "Patrick:Paddy Daniel:Danny Thomas:Tommy Joseph:Joey Christopher:Chris Anthony:Tony "
        "Francisco:Paco José:Pepe Guadalupe:Lupita Margaret:Peggy Deborah:Debbie Jonathan:Jon "
        "Gabriela:Gaby Samuel:Sammy Edward:Eddie Patricia:Trish Richard:Rick Rebecca:Becky "
        "Benjamin:Ben Zachary:Zach Andrew:Drew Nathaniel:Nate"
    )
)
STREET_NAMES = _words("Smokey Red Tito Boston Doc Junior Slim Cuz Sarge")
# Tables of phrases below: one entry a line would triple this module's length.
# fmt: off
STREETS = (
    ("Massachusetts Ave", "02139"), ("Cambridge St", "02141"), ("Broadway", "02139"),
    ("Hampshire St", "02139"), ("Prospect St", "02139"), ("Western Ave", "02139"),
    ("River St", "02139"), ("Columbia St", "02139"), ("Windsor St", "02139"),
    ("Harvard St", "02139"), ("Inman St", "02139"), ("Pearl St", "02139"),
    ("Magazine St", "02139"), ("Putnam Ave", "02139"), ("Rindge Ave", "02140"),
    ("Walden St", "02140"), ("Sherman St", "02138"), ("Concord Ave", "02138"),
    ("Huron Ave", "02138"), ("Norfolk St", "02139"), ("Portland St", "02139"),
    ("Bishop Allen Dr", "02139"), ("Berkshire St", "02141"), ("Fulkerson St", "02141"),
    ("Otis St", "02141"), ("Thorndike St", "02141"), ("Gore St", "02141"),
    ("Sixth St", "02141"), ("Harding St", "02141"), ("Clifton St", "02140"),
    ("Dudley St", "02140"), ("Jackson St", "02140"), ("Brookline St", "02139"),
    ("Cherry St", "02139"), ("Washington Ave", "02140"), ("Allston St", "02139"),
)
ELSEWHERE = (("Somerville", "02143"), ("Boston", "02124"), ("Arlington", "02474"))
ELEMENTARY = ("King Open School", "Graham and Parks School", "Haggerty School",
              "Fletcher Maynard Academy", "Kennedy-Longfellow School", "Morse School",
              "Peabody School", "Tobin Montessori School", "Cambridgeport School")
UPPER = ("Amigos School", "Cambridge Street Upper School", "Putnam Avenue Upper School",
         "Rindge Avenue Upper School", "Vassal Lane Upper School")
HIGH = "Cambridge Rindge and Latin School"
PLACES = ("Central Square", "Harvard Square", "Porter Square", "Inman Square",
          "Kendall Square", "Cambridge Common", "Alewife station", "Lechmere",
          "Danehy Park", "the Main Library", "Cambridgeport", "The Port", "North Cambridge",
          "East Cambridge", "Riverside", "Magazine Beach", "Lafayette Square")
SAFETY_NOTES = (
    "Former partner has an active 209A order; do not disclose her location to anyone.",
    "Dog in the apartment; friendly but loud. Ask the family to secure it before entering.",
    "Reports PTSD: approach calmly, one officer speaking, no sirens on arrival.",
    "Uses a wheelchair; the building has no elevator.",
    "Has carried a folding knife for protection; no history of violence toward officers.",
    "Deaf; communicates in ASL. Request an interpreter, do not rely on lip reading.",
    "Type 1 diabetic: in a crisis check for low blood sugar first.",
    "Startles when touched from behind; explain before any physical contact.",
    "Brother is not allowed in the home (court order); call the Family Justice Unit.",
    "Seizure disorder; medication in the kitchen cabinet.",
    "Prefers a female officer; history of sexual assault.",
    "May hide in the basement when anxious; the family knows how to talk him out.",
)
SERVICES = ("the Multi-Service Center", "a youth center after-school program",
            "elder services", "a domestic violence advocate", "a detox program",
            "a food pantry", "an outpatient mental health clinic", "the shelter intake line",
            "a tenant legal clinic", "a family support worker", "a recovery coach",
            "summer jobs for teens")
OFFENSES_YOUTH = ("shoplifting", "graffiti", "a fight at school", "trespassing at a closed park",
                  "taking a bicycle", "a threat posted online", "breaking a bus shelter window")
OFFENSES_ADULT = ("trespass", "disorderly conduct", "larceny", "assault and battery",
                  "malicious destruction of property")
# fmt: on


@dataclass(frozen=True)
class PlantedDuplicate:
    """One person entered twice. ``dob`` is how the second date of birth differs."""

    first: str
    last: str
    gender: str
    age: int
    culture: str
    second_first: str
    second_last: str
    second_middle: str = ""
    dob: str = "same"  # same | swapped | year | none
    flags: tuple[str, ...] = ()


# fmt: off
PLANTED_DUPLICATES = (
    PlantedDuplicate("John", "Smith", M, 16, "yankee", "Jon", "Smyth", flags=("juvenile",)),
    PlantedDuplicate("María", "Hernández", F, 34, "hispanic", "Maria", "Hernandez",
                     dob="swapped", flags=("dv-sa-survivor",)),
    PlantedDuplicate("Robert", "Sullivan", M, 47, "irish", "Bobby", "Sullivan",
                     flags=("homeless", "substance-use")),
    PlantedDuplicate("Ketly", "Jean-Baptiste", F, 15, "haitian", "Ketly", "Baptiste",
                     second_middle="Jean", flags=("juvenile",)),
    PlantedDuplicate("Tigist", "Bekele", F, 28, "ethiopian", "Tigist", "Bekle"),
    PlantedDuplicate("Ana", "Silva-Pereira", F, 41, "lusophone", "Ana", "Pereira", dob="year"),
    PlantedDuplicate("Wei", "Chen", M, 52, "chinese", "Chen", "Wei", flags=("mental-health",)),
    PlantedDuplicate("Declan", "O'Brien", M, 14, "irish", "Declan", "OBrien", dob="year",
                     flags=("juvenile",)),
    PlantedDuplicate("José", "Martínez", M, 61, "hispanic", "Pepe", "Martinez",
                     flags=("mental-health", "homeless")),
    PlantedDuplicate("Yesenia", "Peña Guzmán", F, 17, "hispanic", "Yesenia", "Pena",
                     dob="swapped", flags=("juvenile",)),
    PlantedDuplicate("Fabienne", "Toussaint", F, 72, "haitian", "Fabienne", "Toussain",
                     dob="none", flags=("senior-care",)),
)
# fmt: on


# Officers log contacts mostly in the daytime.
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 10, 10, 10, 9, 8, 6, 5, 4, 3, 2, 1)

OPENINGS = {
    "call-for-service": (
        "Responded to a call about {name} near {place}.",
        "Dispatched to {place} for a disturbance involving {name}.",
        "Caller reported {name} was upset and shouting near {place}.",
        "Neighbor called about a loud argument; spoke with {name}.",
    ),
    "outreach": (
        "Outreach walk in {place}. Checked in with {name}, who looked tired but was talkative.",
        "Found {name} at {place} during morning outreach; it was cold and they had no coat.",
        "Stopped to talk with {name} near {place}. Asked about sleeping arrangements.",
    ),
    "welfare-check": (
        "Welfare check requested by a relative who had not heard from {name} in days.",
        "Building manager asked for a welfare check on {name}. Answered the door after a while.",
        "Welfare check at the request of a neighbor. {name} was home and safe.",
    ),
    "crisis": (
        "Called to {place} for {name}, who was in crisis and talking about hurting themself.",
        "{name} was very agitated at {place}; co-responded with the clinician on call.",
        "Family called about {name} not sleeping for days and hearing voices.",
    ),
    "school-visit": (
        "Visited {school} at the counselor's request. Met with {name} about attendance.",
        "Met {name} at {school} with the assistant principal after a conflict in the hallway.",
        "Check-in with {name} at {school}; grades are slipping and {name} seemed withdrawn.",
    ),
    "home-visit": (
        "Home visit with {name} and family. The apartment was tidy; everyone was present.",
        "Home visit after last week's incident. Talked with {name} and a parent in the kitchen.",
        "Visited {name} at home to follow up on the family's housing worries.",
    ),
    "follow-up": (
        "Follow-up call with {name} after the last contact.",
        "Follow-up with {name}: things are calmer since we last spoke.",
        "Checked back in with {name} as agreed; kept the appointment.",
    ),
}
ENDINGS = {
    "no-action": ("No further action needed.", "No police action; left contact information."),
    "information": ("Gave information about {service}.", "Explained how to reach {service}."),
    "referral": ("Referred to {service} with consent.", "Made a referral to {service}."),
    "transported": ("Transported to the emergency department for evaluation; stable en route.",),
    "diverted": (
        "Eligible for diversion: referred to the youth diversion program instead of "
        "a summons for {offense}.",
    ),
    "summons": ("Summons issued for {offense}.",),
    "arrest": ("Taken into custody for {offense} and booked at headquarters.",),
    "other": (
        "Passed the information to the Family Justice Unit sergeant.",
        "See the related report for details.",
    ),
}


def weighted(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """ "a:3 b:1" → (("a", "b"), (3, 1)), for random.choices."""
    pairs = [item.split(":") for item in text.split()]
    return tuple(code for code, _ in pairs), tuple(int(weight) for _, weight in pairs)


# Contact types by who the contact is mainly about; dispositions likewise.
CONTACT_TYPES = {
    "juvenile": "school-visit:4 call-for-service:3 follow-up:3 home-visit:2 outreach:1",
    "street": "outreach:6 welfare-check:3 crisis:2 call-for-service:2 follow-up:1",
    "senior": "welfare-check:5 home-visit:3 follow-up:2 call-for-service:1",
    "mental-health": "crisis:3 welfare-check:2 follow-up:2 call-for-service:2 outreach:1",
    "dv-sa-survivor": "follow-up:4 home-visit:2 call-for-service:2",
    "other": "call-for-service:4 follow-up:3 home-visit:2 welfare-check:2 outreach:1",
}
DISPOSITIONS = {
    "juvenile": "information:28 referral:25 no-action:22 diverted:9 summons:5 arrest:3 other:4 "
    "transported:1",
    "dv-sa-survivor": "referral:40 information:35 no-action:15 other:10",
    "crisis": "transported:35 referral:30 information:20 no-action:10 arrest:2",
    "other": "information:33 referral:25 no-action:26 other:4 summons:3 arrest:2 transported:3",
}
# Dispositions that end a call for service or a school incident, never a follow-up call.
ENFORCEMENT = ("arrest", "summons", "diverted")
