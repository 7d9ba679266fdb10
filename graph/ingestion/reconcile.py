"""Recognising the same actor under the many names trackers and coroners give it.

A cell of recipients ("Chief Constable, South Yorkshire Police; Home Office") is read in
three steps, each a rule a person can predict:

1. **Splitting.** Recipients are separated by the separator the import names (`;` for PFD
   reports). With `;`, a comma never separates recipients: "Ministry of Housing, Communities
   and Local Government" stays whole. With `,`, a comma right after a post title joins the
   title to the organisation that follows ("Chief Constable, South Yorkshire Police" is one
   recipient). A recipient that is only a post title ("Chief Executive; Highways England")
   is taken to be that post in the nearest organisation named in the same cell (the next
   one, else the one before); with none, it is left out, since "Chief Executive" alone
   names nobody.
2. **Parsing.** A recipient names an organisation, optionally a post in it, and sometimes a
   person. "Chief Constable, South Yorkshire Police", "CEO of X", "Chief Executive - X" and
   "X, Chief Executive" all give the organisation X and the post "Chief Executive, X"
   (CEO and Chief Executive Officer are written Chief Executive). A Secretary of State is a
   post in their department ("The Secretary of State for the Department of Transport" is the
   Secretary of State for Transport, in the Department for Transport). People's names
   ("Mr Jim O'Sullivan, Chief Executive, ...") are left out when a post is named, since the
   report is addressed to the post, whoever holds it; a recipient that is only a person with
   a title ("Dr X") becomes that person. A bracketed abbreviation becomes another name of the
   organisation only when it abbreviates the name it follows ("Driver and Vehicle Licensing
   Agency (DVLA)"). A bracketed country or region tag ("(UK)", "(Scotland)") stays part of the
   name: it tells apart "Acme (UK)" and "Acme (US)" and is evidence of nothing else.
   "(formerly X)" is kept as a likely rename, to suggest; other bracketed remarks are dropped.
3. **Matching.** Names are compared by a key: lower case, accents and punctuation removed,
   "&" read as "and", "Dept" as "Department", "Ltd" as "Limited", and "the", "of", "for",
   "and", "at", "in" ignored ("Department of Transport" and "Dept for Transport" have the
   key of "Department for Transport"). Actors already in the store are matched first, by
   their labels and other labels, so an import links to the same IRIs. Names new to the
   store with the same key, or sharing a bracketed abbreviation, are one actor, labelled
   with the form written most often. Names that are merely similar are never merged: they
   are reported as near-misses with a similarity score (0 to 100), for a person to decide.
   Legal forms ("Ltd", "Inc", "plc") and region tags are left out of that comparison, so
   that two companies are not alike for both being limited; names that agree but for them,
   an acronym beside the name it abbreviates, and "(formerly X)" are suggested too.
   A person settles suggestions in an aliases file (`graph.ingestion.actor_aliases`):
   `same_as` merges, `not_same_as` keeps apart and stops the suggestion, `successor_of`
   records a rename (`dcterms:replaces`) and keeps the two actors apart.

The owner of what was sent is the organisation (or, for a post in no organisation such as
the Chief Coroner, the post itself); a post named in it is an addressee as well.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from graph.ingestion.actor_aliases import ActorAliases
from graph.ingestion.review_document import Actor, ActorType
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query
from graph.vocabulary.namespaces import minted_id

NEAR_MISS_SCORE = 90.0
"""Least similarity (rapidfuzz WRatio of the two keys, 0 to 100) at which two actors that were
not merged are reported as a possible near-miss."""

_CLASSES = {
    "http://www.w3.org/ns/org#Organization": ActorType.ORGANISATION,
    "http://www.w3.org/ns/org#Post": ActorType.POST,
    "http://xmlns.com/foaf/0.1/Person": ActorType.PERSON,
}
_KEY_IGNORED = frozenset({"the", "of", "for", "and", "at", "in"})
_KEY_SPELLINGS = {"dept": "department", "govt": "government", "ltd": "limited", "co": "company"}
_REDACTED = re.compile(r"\[\s*redacted\s*\]", re.IGNORECASE)
_BRACKETS = re.compile(r"\(([^()]*)\)")
_DASHES = re.compile(r"\s+[-–—]\s+|\s*:\s+")
_QUOTES = "'\"‘’“”"
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z&.+]{2,10}$")
REGION_TAGS = frozenset({
    "uk", "gb", "us", "usa", "eu", "ni", "roi", "ie", "england", "wales", "scotland", "northern ireland",
    "ireland", "europe", "emea", "international", "global", "north", "south", "east", "west", "midlands",
    "london", "au", "nz", "ca", "de", "fr", "nl",
})
"""Bracketed tags that say where an organisation is, not who it is (compared in lower case)."""
LEGAL_FORMS = frozenset({
    "limited", "ltd", "inc", "incorporated", "plc", "llp", "llc", "lp", "corp", "corporation", "company", "co",
    "gmbh", "ag", "sa", "sarl", "bv", "nv", "pty", "cic",
})
"""Words of a name's key that say what legal form an organisation has, not which one it is."""
_FORMERLY = re.compile(r"^(?:formerly|previously|was|now\s+part\s+of)\s+(?:known\s+as\s+)?(?:the\s+)?(.+)$",
                       re.IGNORECASE)
_HONORIFIC = re.compile(
    r"^(?:the\s+)?(?:rt\.?\s*hon\.?|right\s+hon(?:ourable|\.)?|mr|mrs|ms|miss|mx|dr|sir|dame|prof(?:essor)?"
    r"|councillor|cllr|hhj|his\s+honour\s+judge|her\s+honour\s+judge|lord|lady|baroness)\b\.?",
    re.IGNORECASE,
)
_PERSON_NAME = re.compile(r"^[A-Z][a-z'’-]+(?:\s+[A-Z]\.?)*(?:\s+[A-Z][A-Za-z'’-]+){1,2}(?:\s+(?:MP|CBE|OBE|QC|KC|AM))*$")
_NOT_A_PERSON = re.compile(
    r"\b(?:council|trust|nhs|police|service|services|agency|department|office|board|authority|group|limited|ltd|plc"
    r"|highways|hospital|university|college|commission|constabulary|england|wales|county|city|borough|health|care"
    r"|partnership|team|unit|society|association|company|ministry|directorate|centre|surgery|practice)\b",
    re.IGNORECASE,
)
_FOR_ATTENTION = re.compile(r",?\s*\b(?:for\s+the\s+attention\s+of|f\.?a\.?o\.?)\s.*$", re.IGNORECASE)
_MINISTER = re.compile(r"^(?:the\s+)?(?:minister|(?:parliamentary\s+)?under[\s-]+secretary)\b", re.IGNORECASE)
_CONNECTOR = re.compile(r"^(?:of|for|at|to|in)\s+(?:the\s+)?", re.IGNORECASE)

# Titles of posts that need an organisation to name anyone, longest first; the spelling on
# the right is how the post is written.
_TITLES: tuple[tuple[str, str], ...] = tuple(sorted((
    ("chief executive officer", "Chief Executive"), ("chief executive", "Chief Executive"), ("ceo", "Chief Executive"),
    ("chief constable", "Chief Constable"), ("deputy chief constable", "Deputy Chief Constable"),
    ("assistant chief constable", "Assistant Chief Constable"), ("chief officer", "Chief Officer"),
    ("chief operating officer", "Chief Operating Officer"), ("chief medical officer", "Chief Medical Officer"),
    ("chief clinical officer", "Chief Clinical Officer"), ("chief nurse", "Chief Nurse"),
    ("chief fire officer", "Chief Fire Officer"), ("executive medical director", "Executive Medical Director"),
    ("medical director", "Medical Director"), ("nurse director", "Nurse Director"),
    ("managing director", "Managing Director"), ("director general", "Director General"),
    ("chairman", "Chair"), ("chairperson", "Chair"), ("chair", "Chair"), ("president", "President"),
    ("vice chancellor", "Vice Chancellor"), ("governor", "Governor"), ("commissioner", "Commissioner"),
    ("general counsel", "General Counsel"), ("company secretary", "Company Secretary"),
    ("practice manager", "Practice Manager"), ("managing partner", "Managing Partner"),
    ("council leader", "Leader"), ("leader", "Leader"), ("mayor", "Mayor"), ("principal", "Principal"),
    ("head teacher", "Head Teacher"), ("headteacher", "Head Teacher"), ("registrar", "Registrar"),
), key=lambda title: -len(title[0])))

# Titles that go on with what the post is about ("Director of Highways", "Head of Legal
# Services"); the organisation follows after a comma.
_OPEN_TITLE = re.compile(
    r"^(?:the\s+)?(?:(?:deputy|assistant|associate|corporate|executive|service|interim|lead|strategy|operations|"
    r"legal|clinical|regional)\s+)?(?:director|head|manager)\b",
    re.IGNORECASE,
)

# Posts that name one person without an organisation.
_NATIONAL_POSTS = ("Chief Coroner", "Lord Chancellor", "Mayor of London")
_SECRETARY = re.compile(
    r"\b(?:the\s+)?(?:secretary\s+(?:of\s+)?state|(?P<short>home|health)\s+secretary)\b\s*(?:for\s+)?(?:the\s+)?(?P<rest>.*)$",
    re.IGNORECASE,
)
_DEPARTMENT_WORDS = re.compile(r"^(?:the\s+)?(?:department|ministry|dept\.?)\s+(?:of|for)\s+(?:the\s+)?", re.IGNORECASE)
_PORTFOLIOS: dict[str, tuple[str, str]] = {
    "transport": ("Secretary of State for Transport", "Department for Transport"),
    "health social care": ("Secretary of State for Health and Social Care", "Department of Health and Social Care"),
    "health": ("Secretary of State for Health", "Department of Health"),
    "home department": ("Home Secretary", "Home Office"),
    "home office": ("Home Secretary", "Home Office"),
    "home": ("Home Secretary", "Home Office"),
    "justice": ("Secretary of State for Justice", "Ministry of Justice"),
    "defence": ("Secretary of State for Defence", "Ministry of Defence"),
    "education": ("Secretary of State for Education", "Department for Education"),
    "business trade": ("Secretary of State for Business and Trade", "Department for Business and Trade"),
    "work pensions": ("Secretary of State for Work and Pensions", "Department for Work and Pensions"),
}
"""Secretaries of State by portfolio (its key), with their department."""


def name_key(text: str) -> str:
    """The form in which two names of one actor are the same (see the module's rule 3)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"['`]", "", plain.replace("&", " and "))
    words = (_KEY_SPELLINGS.get(word, word) for word in re.findall(r"[a-z0-9]+", plain))
    return " ".join(word for word in words if word not in _KEY_IGNORED)


def slug(text: str, limit: int = 80) -> str:
    """An id made of a name: `Chief Constable, South Yorkshire Police` -> `chief-constable-south-yorkshire-police`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", re.sub(r"['`]", "", plain.replace("&", " and ")))
    made = "-".join(words)
    if len(made) > limit:
        made = made[:limit].rsplit("-", 1)[0]
    return made or "unnamed"


# ---------------------------------------------------------------------------- reading recipients


@dataclass(frozen=True)
class Recipient:
    """What one recipient, as written, names."""

    written: str
    organisation: str | None = None
    title: str | None = None
    """The post's title ("Chief Executive"), or the whole name of a post in no organisation."""
    person: str | None = None
    aliases: tuple[str, ...] = ()
    needs_organisation: bool = False
    """A title such as Chief Executive that names nobody until an organisation is known."""
    formerly: str | None = None
    """The name the organisation had before ("(formerly X)"), a rename to suggest."""


def split_recipients(cell: str, separator: str = ";") -> list[Recipient]:
    """The recipients of one cell (rules 1 and 2 of the module), bare titles given the
    nearest organisation of the cell, and those still without one left out."""
    parts = [p.strip() for p in cell.split(separator)] if separator != "," else _split_on_commas(cell)
    recipients = [r for r in (parse_recipient(p) for p in parts if p.strip()) if r is not None]
    placed = []
    for index, recipient in enumerate(recipients):
        if recipient.needs_organisation and recipient.organisation is None:
            after = [r for r in recipients[index + 1:] if r.organisation and r.title is None]
            before = [r for r in recipients[:index] if r.organisation and r.title is None]
            if not after and not before:
                continue
            nearest = after[0] if after else before[-1]
            recipient = replace(recipient, organisation=nearest.organisation, aliases=nearest.aliases)
        placed.append(recipient)
    return placed


def left_out(cell: str, separator: str = ";") -> list[str]:
    """The recipients of a cell that name no actor (a bare title with no organisation in the cell)."""
    parts = [p.strip() for p in cell.split(separator)] if separator != "," else _split_on_commas(cell)
    kept = {r.written for r in split_recipients(cell, separator)}
    return [p for p in parts if p and p not in kept and _REDACTED.sub("", p).strip(" ,.")]


def _split_on_commas(cell: str) -> list[str]:
    """Comma-separated recipients, a post title joined to the organisation after it."""
    pieces = [p.strip() for p in cell.split(",") if p.strip()]
    joined: list[str] = []
    for piece in pieces:
        if joined and _is_bare_title(joined[-1]) and _title_of(piece) is None:
            joined[-1] = f"{joined[-1]}, {piece}"
        else:
            joined.append(piece)
    return joined


def parse_recipient(written: str) -> Recipient | None:
    """The organisation, post and person one recipient names (rule 2 of the module); None
    when nothing is left once redactions are removed."""
    text = _FOR_ATTENTION.sub("", " ".join(_REDACTED.sub("", written).split()))
    aliases: list[str] = []
    remarks: list[str] = []
    formerly = None
    for inner in _BRACKETS.findall(text):
        cleaned = inner.strip(_QUOTES + " ")
        renamed = _FORMERLY.match(cleaned)
        if renamed:
            formerly = renamed.group(1).strip(" ,.")
        elif cleaned.lower() not in REGION_TAGS:
            (aliases if _ACRONYM.match(cleaned) else remarks).append(cleaned)
    text = " ".join(_BRACKETS.sub(_region_kept, text).split()).strip(" ,.;")
    if remarks and _is_bare_title(text):
        text = f"{text}, {remarks[0]}"  # "Chief Executive (Bradford District Care NHS Trust)"
    pieces = [p.strip(" ,.") for p in _DASHES.sub(", ", text).split(",")]
    pieces = [p for p in pieces if p and not _HONORIFIC.fullmatch(p) and p.upper() not in ("MP", "CBE", "OBE")]
    if not pieces:
        return None
    people = [i for i, p in enumerate(pieces) if _HONORIFIC.match(p) or (
        _PERSON_NAME.match(p) and not _NOT_A_PERSON.search(p) and i + 1 < len(pieces)
        and _title_of(pieces[i + 1]) is not None)]
    person = pieces[people[0]] if people else None
    rest = [p for i, p in enumerate(pieces) if i not in people]
    if not rest:
        return Recipient(written, person=_without_honorific(person)) if person else None
    found = _post_in(rest)
    if found is None:
        organisation = ", ".join(rest)
        return Recipient(written, organisation=organisation, aliases=_abbreviating(aliases, organisation),
                         formerly=formerly)
    title, organisation, needs_organisation = found
    return Recipient(written, organisation, title, None, _abbreviating(aliases, organisation) if organisation else (),
                     needs_organisation, formerly if organisation else None)


def _region_kept(bracket: re.Match[str]) -> str:
    """A bracketed region tag as written; any other bracket is taken out of the name."""
    return bracket.group(0) if bracket.group(1).strip(_QUOTES + " ").lower() in REGION_TAGS else " "


def _abbreviating(aliases: list[str], name: str) -> tuple[str, ...]:
    """The bracketed abbreviations that abbreviate `name`: only those are its other names."""
    return tuple(alias for alias in aliases if abbreviates(alias, name))


def abbreviates(acronym: str, name: str) -> bool:
    """Whether `acronym` is made of the initials of `name`'s words ("DfT", "Department for
    Transport"), small words optional and a word in capitals ("NHS") giving any of its first
    letters ("NHSE", "NHS England")."""
    letters = re.sub(r"[^a-z]", "", acronym.lower())
    words = re.findall(r"[A-Za-z]+", name.replace("&", " and "))
    if len(letters) < 2 or not words:
        return False

    def fits(i: int, j: int) -> bool:
        if i == len(letters):
            return all(w.lower() in _KEY_IGNORED for w in words[j:])
        if j == len(words):
            return False
        word = words[j]
        if word.lower() in _KEY_IGNORED and fits(i, j + 1):
            return True
        longest = len(word) if word.isupper() else 1
        return any(word[:n].lower() == letters[i:i + n] and fits(i + n, j + 1)
                   for n in range(1, min(longest, len(letters) - i) + 1))

    return fits(0, 0)


def _without_honorific(person: str) -> str:
    return _HONORIFIC.sub("", person).strip(" .,") or person


def _is_bare_title(piece: str) -> bool:
    found = _title_of(piece)
    return found is not None and not found[1]


def _title_of(piece: str) -> tuple[str, str] | None:
    """(the post's title, what follows it) when `piece` starts with a post title."""
    text = re.sub(r"^the\s+", "", piece, flags=re.IGNORECASE)
    lower = text.lower()
    for written, title in _TITLES:
        if lower.startswith(written) and (len(lower) == len(written) or not lower[len(written)].isalnum()):
            return title, text[len(written):].strip(" ,.")
    if _OPEN_TITLE.match(text):
        return text, ""
    return None


def _post_in(pieces: list[str]) -> tuple[str, str | None, bool] | None:
    """(title, organisation, needs an organisation) for the post the pieces name, if any."""
    for index, piece in enumerate(pieces):
        if _MINISTER.match(piece):
            return piece, ", ".join(pieces[index + 1:]) or None, False
        secretary = _SECRETARY.search(piece)
        if secretary:
            portfolio = secretary.group("short") or secretary.group("rest") or ", ".join(pieces[index + 1:])
            return _secretary_of_state(portfolio)
        if piece.lower().removeprefix("the ") in {p.lower() for p in _NATIONAL_POSTS}:
            return re.sub(r"^the\s+", "", piece, flags=re.IGNORECASE), None, False
        found = _title_of(piece)
        if found is None:
            continue
        title, after = found
        if title == piece and not after and index + 1 == len(pieces) and not index and len(piece.split()) > 2:
            return title, None, False  # "Director of Transport Strategy": a post of its own
        following = ", ".join(pieces[index + 1:])
        before = ", ".join(pieces[:index])
        if after and _CONNECTOR.match(after):
            organisation = _CONNECTOR.sub("", after) + (f", {following}" if following else "")
        elif after and following:
            organisation = following  # "Chief Constable Ian Hopkins, Greater Manchester Police": a name between
        else:
            organisation = after or following or before
        return title, organisation.strip(" ,.") or None, True
    whole = ", ".join(pieces)
    for written, title in _TITLES:  # "Tees, Esk and Wear Valley NHS Foundation Trust Chief Executive"
        if whole.lower().endswith(" " + written):
            return title, whole[: -len(written)].strip(" ,.-–") or None, True
    return None


def _secretary_of_state(portfolio: str) -> tuple[str, str | None, bool]:
    key = name_key(_DEPARTMENT_WORDS.sub("", portfolio.strip()))
    for known in sorted(_PORTFOLIOS, key=len, reverse=True):
        if key == known or key.startswith(known + " "):  # "for Transport The Rt Hon Mark Harper MP"
            title, department = _PORTFOLIOS[known]
            return title, department, False
    named = portfolio.strip(" ,.")
    return (f"Secretary of State for {named}" if named else "Secretary of State"), None, not named


# ---------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class KnownActor:
    """An actor already in the store, with every name it goes by."""

    id: str
    label: str
    type: ActorType
    names: tuple[str, ...]
    post_in: tuple[str, ...] = ()


def known_actors(store: KnowledgeStore) -> list[KnownActor]:
    """The actors in the store whose IRIs lrkg minted (only those can be referred to by id)."""
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(named_query("actor_records").text):
        minted = minted_id(row["actor"].value)
        if minted is not None and minted[0] == "actor":
            facts[minted[1]][row["fact"].value].append(row["value"].value)
    labelled = {actor_id for actor_id, fact in facts.items() if fact["label"]}
    found = []
    for actor_id in sorted(labelled):
        fact = facts[actor_id]
        kinds = [_CLASSES[c] for c in fact["class"]]
        posts = (minted_id(iri) for iri in fact["postIn"])
        found.append(KnownActor(
            actor_id, min(fact["label"]), kinds[0] if kinds else ActorType.ORGANISATION,
            tuple(sorted({*fact["label"], *fact["name"]})),
            tuple(sorted(p[1] for p in posts if p is not None and p[1] in labelled)),
        ))
    return found


@dataclass(frozen=True)
class Addressing:
    """Whom one cell of recipients names: the actors that own what was sent, and the posts
    (and people) it was addressed to besides."""

    owners: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()


@dataclass(frozen=True)
class Merge:
    """A name written one way that was taken to be an actor labelled another way."""

    written: str
    actor: str
    label: str
    reason: str


SIMILAR = "similar names, not merged"
BUT_FOR_FORM = "the same name but for a legal form or region tag, not merged"
ACRONYM = "one name abbreviates the other, not merged"
RENAMED = "written as formerly the other: likely renamed"


@dataclass(frozen=True)
class NearMiss:
    """Two actors (or an actor and a former name) that may be one, suggested and not merged."""

    actor: str
    label: str
    other: str
    other_label: str
    score: float | None
    """Similarity of the names (0 to 100) for SIMILAR; None for the other reasons."""
    reason: str = SIMILAR


@dataclass
class Reconciliation:
    """The actors a batch of recipient cells names, and how each name was matched."""

    actors: dict[str, Actor] = field(default_factory=dict)
    from_store: set[str] = field(default_factory=set)
    recipients: dict[str, list[tuple[Recipient, str, str | None]]] = field(default_factory=dict)
    """Each cell's recipients, each with its owner and (for a post) its post."""
    merges: list[Merge] = field(default_factory=list)
    near_misses: list[NearMiss] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    """Recipients as written that name no actor: bare post titles with no organisation in their cell."""
    successions: list[tuple[str, str]] = field(default_factory=list)
    """(successor, predecessor) actor ids, from the aliases file's `successor_of`."""

    def replaced_by(self, actor_ids: Iterable[str]) -> list[tuple[str, str]]:
        """The successions whose successor is among `actor_ids`."""
        wanted = set(actor_ids)
        return [(a, b) for a, b in self.successions if a in wanted]

    def addressing(self, cell: str) -> Addressing:
        owners, addressees = [], []
        for _, owner, post in self.recipients.get(cell, []):
            owners.append(owner)
            if post is not None:
                addressees.append(post)
        return Addressing(tuple(dict.fromkeys(owners)), tuple(dict.fromkeys(addressees)))

    def described(self, cells: Iterable[str]) -> tuple[Actor, ...]:
        """The actors the cells name, and the organisations their posts are in, each with
        the other names the cells (and only they) give it, for a review to describe."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for cell in cells:
            for recipient, owner, post in self.recipients.get(cell, []):
                written = recipient.organisation or recipient.person
                wanted[owner].update(name for name in (written, *recipient.aliases) if name)
                if post is not None:
                    wanted.setdefault(post, set())
        todo = list(wanted)
        while todo:
            for parent in self.actors[todo.pop()].post_in:
                if parent not in wanted:
                    wanted.setdefault(parent, set())
                    todo.append(parent)
        return tuple(
            replace(self.actors[actor_id],
                    also_known_as=tuple(sorted(n for n in names if n != self.actors[actor_id].label)))
            for actor_id, names in sorted(wanted.items())
        )

    def new_actors(self) -> list[str]:
        return sorted(set(self.actors) - self.from_store)


Names = Sequence[tuple[str, tuple[str, ...]]]
"""Names as written, each with its bracketed abbreviations."""


def reconcile(
    cells: Iterable[str], known: Sequence[KnownActor], *, separator: str = ";", same_as: Mapping[str, str] | None = None,
    aliases: ActorAliases | None = None,
) -> Reconciliation:
    """Match the recipients of every cell to actors: those in `known` first, then each other.
    `same_as` maps a name to the name (or actor id) it is to be taken as; `aliases` adds a
    person's decisions (same, not the same, successor)."""
    result = Reconciliation()
    cells = list(dict.fromkeys(cells))
    parsed = {cell: split_recipients(cell, separator) for cell in cells}
    for cell in cells:
        result.unplaced.extend(left_out(cell, separator))
    aliases = aliases or ActorAliases()
    index = _NameIndex(known, {**(same_as or {}), **dict(aliases.same_as)},
                       apart=[*aliases.not_same_as, *aliases.successor_of])
    for actor in known:
        result.actors[actor.id] = Actor(actor.id, actor.label, actor.type, post_in=actor.post_in,
                                        also_known_as=tuple(n for n in actor.names if n != actor.label))
        result.from_store.add(actor.id)

    recipients = [r for rs in parsed.values() for r in rs]
    organisations: Names = [(r.organisation, r.aliases) for r in recipients if r.organisation]
    people: Names = [(r.person, ()) for r in recipients if r.person and not r.organisation and not r.title]
    national: Names = [(r.title, ()) for r in recipients if r.title and not r.organisation]
    for names, kind in ((organisations, ActorType.ORGANISATION), (people, ActorType.PERSON)):
        index.add_group(names, kind, result)
    index.add_group(national, ActorType.POST, result)
    for cell, recipients in parsed.items():
        placed = []
        for recipient in recipients:
            if recipient.organisation:
                owner = index.resolve(recipient.organisation)
                post = None
                if recipient.title:
                    label = recipient.title
                    if recipient.needs_organisation:
                        label = f"{recipient.title}, {result.actors[owner].label}"
                    post = index.post(label, owner, result)
                placed.append((recipient, owner, post))
            elif recipient.title:
                placed.append((recipient, index.resolve(recipient.title), None))
            elif recipient.person:
                placed.append((recipient, index.resolve(recipient.person), None))
        result.recipients[cell] = placed
    result.successions = [pair for a, b in aliases.successor_of
                          if (pair := (index.find(a), index.find(b)))[0] and pair[1] and pair[0] != pair[1]]
    apart = {frozenset((index.find(a), index.find(b))) for a, b in [*aliases.not_same_as, *aliases.successor_of]}
    formerly = {(index.resolve(r.organisation), r.formerly) for rs in parsed.values() for r in rs
                if r.organisation and r.formerly}
    result.near_misses = [n for n in _near_misses(result, index) + _renames(result, index, formerly)
                          if frozenset((n.actor, n.other)) not in apart]
    return result


class _NameIndex:
    """Names to actor ids: the store's first, then the batch's, minting ids for new actors."""

    def __init__(self, known: Sequence[KnownActor], same_as: Mapping[str, str],
                 apart: Sequence[tuple[str, str]] = ()) -> None:
        self.by_key: dict[str, str] = {}
        self.taken: dict[str, str] = {}  # id -> key of the name it was minted from
        for actor in known:
            for name in actor.names:
                self.by_key.setdefault(name_key(name), actor.id)
            self.taken[actor.id] = name_key(actor.label)
        labels = {actor.id: actor.label for actor in known}
        self.same_as = {name_key(name): name_key(labels.get(target, target)) for name, target in same_as.items()}
        self.known_ids = set(labels)
        self.written: dict[str, str] = {}  # written name -> actor id
        self.apart = {frozenset((name_key(labels.get(a, a)), name_key(labels.get(b, b)))) for a, b in apart}

    def resolve(self, written: str) -> str:
        return self.written[written]

    def find(self, name_or_id: str) -> str | None:
        """The actor a name (as written, by its key) or an actor id names, if any."""
        if name_or_id in self.written:
            return self.written[name_or_id]
        if name_or_id in self.taken:
            return name_or_id
        return self.by_key.get(name_key(name_or_id))

    def add_group(self, names: Names, kind: ActorType, result: Reconciliation) -> None:
        """Give every name an actor: one in the store by key, else one shared by all names
        with the same key (or a common bracketed abbreviation, or made the same by `same_as`),
        labelled by its commonest form."""
        counts = Counter(name for name, _ in names)
        links: dict[str, set[str]] = defaultdict(set)
        for name, aliases in names:
            key = name_key(name)
            links[key].update(k for a in aliases if frozenset((key, k := name_key(a))) not in self.apart)
            if key in self.same_as:
                links[key].add(self.same_as[key])
        groups = _connected(links)
        forms: dict[str, list[str]] = defaultdict(list)
        for name in counts:
            forms[groups[name_key(name)]].append(name)
        for group, written in sorted(forms.items()):
            keys = {k for k, g in groups.items() if g == group}
            target = next((self.by_key[k] for k in sorted(keys) if k in self.by_key), None)
            if target is None:
                label = sorted(written, key=lambda n: (-counts[n], n.lower().startswith("the "), -len(n), n))[0]
                target = self.mint(label)
                result.actors[target] = Actor(target, label, kind)
            for key in keys:
                self.by_key.setdefault(key, target)
            label_key = name_key(result.actors[target].label)
            for name in sorted(written):
                self.written[name] = target
                if name == result.actors[target].label:
                    continue
                if target in self.known_ids:
                    reason = "in the store"
                elif name_key(name) in self.same_as:
                    reason = "same_as in the mapping"
                elif name_key(name) == label_key:
                    reason = "same name once normalised"
                else:
                    reason = "same bracketed abbreviation"
                result.merges.append(Merge(name, target, result.actors[target].label, reason))

    def post(self, label: str, organisation: str, result: Reconciliation) -> str:
        key = name_key(label)
        if key not in self.by_key:
            target = self.mint(label)
            result.actors[target] = Actor(target, label, ActorType.POST, post_in=(organisation,))
            self.by_key[key] = target
        return self.by_key[key]

    def mint(self, label: str) -> str:
        """A new id from the label; one already taken by another name gets a short hash of this name's key."""
        made, key = slug(label), name_key(label)
        if made in self.taken and self.taken[made] != key:
            made = f"{made}-{hashlib.sha256(key.encode()).hexdigest()[:6]}"
        self.taken[made] = key
        return made


def _connected(links: Mapping[str, set[str]]) -> dict[str, str]:
    """Each key's group (the smallest key of the group), keys linked through shared aliases."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for key, aliases in sorted(links.items()):
        for alias in sorted(aliases):
            a, b = root(key), root(alias)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {key: root(key) for key in links}


def core_key(name: str) -> str:
    """A name's key without legal forms and bracketed tags: what two names must share to be alike."""
    return " ".join(w for w in name_key(_BRACKETS.sub(" ", name)).split() if w not in LEGAL_FORMS)


def _near_misses(result: Reconciliation, index: _NameIndex) -> list[NearMiss]:
    """Pairs of different actors (not posts in an organisation), at least one of them named in
    this batch, that may be one: names that agree but for a legal form or region tag; an
    acronym and the name it abbreviates; names whose cores (`core_key`) score at least
    NEAR_MISS_SCORE, the best score per pair. A one-word core inside a longer one
    ("Highways") says too little to be reported as similar."""
    used = {owner for placed in result.recipients.values() for _, owner, _ in placed}
    written: dict[str, set[str]] = defaultdict(set)
    for name, actor_id in index.written.items():
        written[actor_id].add(name)
    names: list[tuple[str, str, str]] = []  # (actor id, name, core key)
    for actor in result.actors.values():
        if actor.type is ActorType.POST and actor.post_in:
            continue
        for name in sorted({actor.label, *actor.also_known_as, *written[actor.id]}):
            if core_key(name):
                names.append((actor.id, name, core_key(name)))
    keys = [core for _, _, core in names]
    found: dict[tuple[str, str], NearMiss] = {}

    def suggest(a: str, b: str, score: float | None, reason: str) -> None:
        if a == b or not (a in used or b in used):
            return
        a, b = min(a, b), max(a, b)
        earlier = found.get((a, b))
        if earlier is None or (earlier.score or 0) < (score or 0) or (score is None and earlier.score is None):
            found[(a, b)] = NearMiss(a, result.actors[a].label, b, result.actors[b].label,
                                     None if score is None else round(score, 1), reason)

    by_core: dict[str, set[str]] = defaultdict(set)
    for actor_id, _, core in names:
        by_core[core].add(actor_id)
    for ids in by_core.values():
        for a in ids:
            for b in ids:
                if a < b:
                    suggest(a, b, None, BUT_FOR_FORM)
    for i, key in enumerate(keys):
        for _, score, j in process.extract(key, keys, scorer=fuzz.WRatio, score_cutoff=NEAR_MISS_SCORE, limit=None):
            if key != keys[j] and " " in min(key, keys[j], key=len) and (names[i][0], names[j][0]) not in {
                    (n.actor, n.other) for n in found.values() if n.reason != SIMILAR}:
                suggest(names[i][0], names[j][0], float(score), SIMILAR)
    short = [(actor_id, name) for actor_id, name, _ in names if _ACRONYM.match(name) and " " not in name]
    for actor_id, acronym in short:
        for other_id, name, _ in names:
            if other_id != actor_id and " " in name and abbreviates(acronym, name):
                suggest(actor_id, other_id, None, ACRONYM)
    return sorted(found.values(), key=lambda n: (n.reason != BUT_FOR_FORM, -(n.score or 0), n.actor, n.other))


def _renames(result: Reconciliation, index: _NameIndex, formerly: set[tuple[str, str]]) -> list[NearMiss]:
    """An actor written "(formerly X)" with X: the actor X names, or X as written when none does."""
    found = []
    for actor_id, before in sorted(formerly):
        other = index.find(before)
        if other != actor_id:
            found.append(NearMiss(actor_id, result.actors[actor_id].label, other or "",
                                  result.actors[other].label if other else before, None, RENAMED))
    return found


# ---------------------------------------------------------------------------- reporting

REPORT_COLUMNS = ("decision", "name", "actor", "label", "other_actor", "other_label", "score", "reason")


def report_rows(result: Reconciliation) -> list[dict[str, str]]:
    """The reconciliation as rows for a CSV report: every merge, every near-miss not merged,
    every new actor and every recipient that names nobody."""
    rows = [{"decision": "merged", "name": m.written, "actor": m.actor, "label": m.label, "reason": m.reason}
            for m in result.merges]
    rows += [{"decision": "near-miss" if n.reason == SIMILAR else "suggested", "name": n.label, "actor": n.actor,
              "label": n.label, "other_actor": n.other, "other_label": n.other_label,
              "score": "" if n.score is None else f"{n.score:.1f}", "reason": n.reason}
             for n in result.near_misses]
    rows += [{"decision": "new", "name": result.actors[i].label, "actor": i, "label": result.actors[i].label,
              "reason": "not in the store before"} for i in result.new_actors()]
    rows += [{"decision": "left out", "name": written, "reason": "a post title with no organisation in its cell"}
             for written in sorted(set(result.unplaced))]
    return [{column: row.get(column, "") for column in REPORT_COLUMNS} for row in rows]


def summary(result: Reconciliation, shown: int = 5) -> list[str]:
    """A few lines saying how the recipients were matched, the closest near-misses first."""
    used = {owner for placed in result.recipients.values() for _, owner, _ in placed}
    lines = [
        f"Actors: {len(used)} named ({len(used & result.from_store)} already in the store, "
        f"{len(used - result.from_store)} new); {len(result.merges)} names merged into another; "
        f"{len(result.near_misses)} near-misses and suggestions not merged; {len(set(result.unplaced))} recipients "
        "name nobody."
    ]
    lines += [f"  near-miss {n.score:.1f}: {n.label!r} ~ {n.other_label!r}" if n.score is not None
              else f"  suggested: {n.label!r} ~ {n.other_label!r} ({n.reason})" for n in result.near_misses[:shown]]
    if result.near_misses:
        lines.append("  (settle them in an aliases file: same_as, not_same_as, successor_of)")
    return lines
