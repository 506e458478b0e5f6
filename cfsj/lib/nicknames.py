"""Common given-name nicknames → their formal forms, so that "Bobby" finds Robert and "Jon"
finds John or Jonathan. Folded (lower case, no accents). A department may extend this list."""

_FORMS: dict[str, tuple[str, ...]] = {
    "robert": ("bob", "bobby", "rob", "robbie", "bert"),
    "william": ("bill", "billy", "will", "willie", "liam"),
    "john": ("jon", "johnny", "jack", "jonny"),
    "jonathan": ("jon", "jonny", "nathan"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "libby"),
    "katherine": ("kate", "katie", "kathy", "kat", "kay"),
    "catherine": ("cathy", "cat", "kate", "katie"),
    "michael": ("mike", "mikey", "mick"),
    "james": ("jim", "jimmy", "jamie"),
    "anthony": ("tony",),
    "christopher": ("chris", "topher"),
    "christina": ("chris", "tina", "christy"),
    "alexander": ("alex", "xander", "sasha"),
    "alexandra": ("alex", "lexi", "sasha"),
    "samuel": ("sam", "sammy"),
    "samantha": ("sam", "sammy"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davey"),
    "joseph": ("joe", "joey"),
    "thomas": ("tom", "tommy"),
    "nicholas": ("nick", "nicky"),
    "richard": ("rick", "ricky", "rich", "dick"),
    "steven": ("steve", "stevie"),
    "stephen": ("steve", "stevie"),
    "matthew": ("matt", "matty"),
    "patrick": ("pat", "paddy"),
    "patricia": ("pat", "patty", "trish"),
    "jennifer": ("jen", "jenny"),
    "margaret": ("maggie", "peggy", "meg"),
    "susan": ("sue", "susie"),
    "andrew": ("andy", "drew"),
    "benjamin": ("ben", "benny"),
    "edward": ("ed", "eddie", "ted"),
    "theodore": ("ted", "teddy", "theo"),
    "charles": ("charlie", "chuck", "chas"),
    "deborah": ("deb", "debbie"),
    "rebecca": ("becky", "becca"),
    "victoria": ("vicky", "tori"),
    "jose": ("pepe", "chepe"),
    "francisco": ("paco", "pancho", "frank"),
    "guadalupe": ("lupe", "lupita"),
    "gabriel": ("gabe",),
    "gabriela": ("gabby", "gaby"),
    "isabel": ("izzy", "isa", "bel"),
    "isabella": ("izzy", "bella"),
    "nathaniel": ("nate", "nathan"),
    "zachary": ("zach", "zack"),
    "joshua": ("josh",),
    "jacob": ("jake",),
    "timothy": ("tim", "timmy"),
    "kenneth": ("ken", "kenny"),
    "ronald": ("ron", "ronnie"),
    "donald": ("don", "donnie"),
    "dorothy": ("dot", "dottie"),
    "abigail": ("abby",),
    "madison": ("maddie",),
    "olivia": ("liv", "livvy"),
    "emily": ("em", "emmy"),
}

_CANONICAL: dict[str, tuple[str, ...]] = {}
for formal, nicknames in _FORMS.items():
    for nickname in nicknames:
        _CANONICAL[nickname] = (*_CANONICAL.get(nickname, ()), formal)


def canonical_forms(word: str) -> tuple[str, ...]:
    """The formal names a folded word may stand for (empty when it is not a known nickname)."""
    return _CANONICAL.get(word, ())
