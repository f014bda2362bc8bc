"""Who spoke: a quote's speaker as a person (or an organisation) of the story, or nobody.

The attribution scanner finds the words that stand for a speaker (`Kim`, `he`, `the minister`,
`This meant advocating`). Here they become a speaker only when they name an entity of the story:

- a name or description that is a mention of a person, or of an organisation (the reporting verb
  says it spoke: `the ministry said`), is that entity;
- a pronoun (`he`, `ella`, `elle`) or a role (`the minister`, `la portavoz`, `el jefe del Kremlin`)
  is the nearest person named before it whose gender agrees where the words mark it (`she`,
  `la ministra`, `Mrs`, a given name the lexicon knows);
- a pronoun or role after a quote prefers the subject of the sentence before the quote to a nearer
  person in its complement; `her statement` / `his letter` is its owner, by the possessive's gender;
  `it` is the organisation named last (never a person); an age (`the 54-year-old`) is a role;
- a generic organisation noun (`the ministry`, `la empresa`) is the nearest organisation named
  before it whose name holds that noun (or, for company words, any organisation);
- a verb with no subject at all (`«...», indicó.`) is the last speaker, or before any, the person or
  organisation the sentence before the quote opens with (outside prepositional complements);
- anything else (a sentence start like `MORE`, a clause, a place, `the report`, `a spokesman`,
  `they`) is no speaker: the quote keeps its cue and its speaker is null. Never a wrong name.

Pure functions over the text and the entities stage's entities; no model.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from newswire.enrich.lexical import fold
from newswire.enrich.quotes.cues import PREPOSITIONS
from newswire.events.extension import Entity

SPEAKER_TYPES = frozenset({"person", "organisation"})

# Singular personal pronouns and their gender ("" where the pronoun does not mark it).
PRONOUN_GENDER: dict[str, str] = {
    "he": "m", "him": "m", "she": "f", "her": "f",
    "él": "m", "ella": "f", "il": "m", "elle": "f", "ele": "m", "ela": "f",
    "lui": "m", "lei": "f", "egli": "m", "er": "m", "sie": "f",
}  # fmt: skip

# Role nouns naming one person, folded, with the gender the word itself marks ("" when it does not).
_ROLES_M = (
    "spokesman chairman congressman businessman king prince pope ministro jefe secretario "
    "gobernador alcalde director embajador rey mandatario candidato asesor abogado entrenador "
    "dirigeant chancelier directeur ambassadeur roi prefeito secretario diretor "
    "governador embaixador rei segretario sindaco direttore ambasciatore re prasident sprecher kanzler "
    "burgermeister konig consejero tecnico vicepresidente delegado diputado senador hombre councilman regidor "
    "boy"
)
_ROLES_F = (
    "spokeswoman chairwoman congresswoman businesswoman queen princess ministra presidenta jefa secretaria "
    "gobernadora alcaldesa directora embajadora reina mandataria candidata asesora abogada entrenadora "
    "dirigeante chanceliere directrice ambassadrice reine prefeita diretora governadora "
    "embaixadora rainha segretaria direttrice regina prasidentin ministerin sprecherin kanzlerin "
    "burgermeisterin konigin chefin consejera tecnica vicepresidenta concejala delegada diputada senadora "
    "mujer councilwoman regidora girl"
)
_ROLES_ANY = (
    "minister president leader chief head secretary senator governor mayor official director executive "
    "ceo candidate nominee ambassador envoy commander general prosecutor judge lawyer attorney adviser "
    "advisor aide manager coach spokesperson premier chancellor representative presidente lider canciller "
    "dirigente fiscal juez portavoz ministre chef porte-parole secretaire maire porta-voz chefe capo "
    "portavoce councillor councilor constable officer detective inspector superintendent forecaster "
    "economist analyst doctor surgeon physician nurse principal teacher professor researcher scientist "
    "year-old joven concejal teenager teen councilmember"
)
# Roles that name the same office (`the union leader` for someone introduced as `union president`,
# `la regidora` for `la alcaldesa`): a role prefers the person introduced by a word of its group.
_ROLE_SYNONYMS = (
    "leader president chief head chairman chairwoman chair presidente presidenta jefe jefa lider dirigente",
    "mayor alcalde alcaldesa regidor regidora maire sindaco prefeito prefeita burgermeister",
    "councilwoman councilman councillor councilor councilmember concejal concejala edil",
    "spokesman spokeswoman spokesperson portavoz porte-parole porta-voz portavoce sprecher sprecherin",
    "coach manager entrenador entrenadora tecnico tecnica",
)


def _gender_table(*lists: tuple[str, str]) -> dict[str, str]:
    """Folded word -> gender from (space-separated words, gender) lists; later lists win."""
    return {fold(word): gender for words, gender in lists for word in words.split()}


ROLE_GENDER = _gender_table((_ROLES_ANY, ""), (_ROLES_M, "m"), (_ROLES_F, "f"))
ROLE_GROUP: dict[str, frozenset[str]] = {
    fold(word): frozenset(fold(w) for w in group.split()) for group in _ROLE_SYNONYMS for word in group.split()
}

_INDEFINITE = frozenset(["an", "un", "una", "une", "one", "another", "uno", "um", "uma", "ein", "eine", "some"])
# Possessives before a statement noun (`her statement said`): the owner's gender ("" unmarked).
POSSESSIVE_GENDER: dict[str, str] = {"his": "m", "her": "f"}
STATEMENT_NOUNS = frozenset(["statement", "letter", "email", "post", "tweet", "release", "message", "note"])

# Articles and titles that mark the gender of the noun or name they precede.
ARTICLE_GENDER: dict[str, str] = {
    "el": "m", "del": "m", "un": "m", "la": "f", "una": "f", "le": "m", "du": "m", "o": "m", "do": "m",
    "a": "f", "da": "f", "il": "m", "lo": "m", "della": "f", "der": "m", "die": "f",
}  # fmt: skip
TITLE_GENDER: dict[str, str] = {
    "mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sr": "m", "sra": "f", "srta": "f", "don": "m", "dona": "f",
    "senor": "m", "senora": "f", "m": "m", "mme": "f", "mlle": "f", "monsieur": "m", "madame": "f",
    "herr": "m", "frau": "f", "signor": "m", "signora": "f", "king": "m", "queen": "f",
}  # fmt: skip

# Common given names (folded) whose gender is clear in the languages served; written here.
_GIVEN_M = (
    "john james robert michael william david richard joseph thomas charles christopher daniel matthew "
    "anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald jason edward "
    "jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel "
    "gregory frank alexander raymond patrick jack dennis jerry tyler aaron jose adam henry nathan douglas "
    "zachary peter kyle walter ethan jeremy harold keith christian roger noah gerald carl terry sean "
    "austin arthur lawrence jesse dylan bryan joe jordan billy bruce albert willie gabriel logan alan "
    "juan carlos luis jorge pedro miguel antonio manuel francisco javier rafael fernando pablo alejandro "
    "sergio ricardo eduardo andres diego mario alberto enrique emilio ramon vicente joaquin felipe "
    "jean pierre jacques michel philippe francois nicolas emmanuel olivier laurent hans klaus wolfgang "
    "jurgen stefan thomas markus olaf friedrich giuseppe giovanni marco luca paolo matteo sergio joao "
    "vladimir sergei dmitri mikhail boris igor ivan xi kim mike bernie barack bill tim tom jim bob ben dan ed newt "
    "rudy chris ted jeb lula"
)
_GIVEN_F = (
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret "
    "sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca "
    "sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela nicole emma samantha "
    "katherine christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie "
    "joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha "
    "jacqueline frances gloria ann teresa kathryn sara janice alice madison doris abigail julia "
    "judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella "
    "charlotte rose alexis kayla hillary kellyanne melania ivanka michelle chelsea nikki elizabeth "
    "carmen ana lucia isabel pilar dolores rosa mercedes elena cristina beatriz sofia paula raquel "
    "marta silvia monica veronica claudia adriana gabriela patricia lorena natalia irene "
    "marine segolene christine anne sylvie nathalie isabelle ursula angela annalena giorgia "
    "dilma"
)


_GIVEN_M_MORE = (
    "liam owen lucas oliver leo theo hugo omar ali ahmed mohammed muhammad hassan raj ravi arjun rohan "
    "amir karim tariq wei jun hiroshi kenji ian neil graham colin gareth rhys dylan callum declan "
    "connor liam seamus niall wayne craig dale glen glenn darren shane brett troy grant murray "
    "doug gord gordon stuart hamish angus duncan malcolm fraser ross evan owen dean rick ricky "
    "luca joshua ezra mustafa musa jonah elijah isaiah noah "
    "santiago mateo sebastian martin tomas ignacio gonzalo alvaro iker unai xavier jordi pau oriol"
)
_GIVEN_F_MORE = (
    "leah priya gail chloe zoe megan ella ava mia lily grace ruby isla freya niamh siobhan aoife "
    "fiona kirsty shona morag karen sharon lorraine dawn jane jenny jennifer "
    "beth ruth esther naomi miriam judith rachel sarah hannah leila fatima aisha amina yasmin "
    "mei yuki keiko aiko wendy tracy stacey kristi kirsten ingrid astrid "
    "carmen pilar dolores mercedes rocio nuria montserrat montse ines belen raquel irene noemi"
)
# Given names ending in these letters are mostly of one gender in the languages served (María,
# Lucía, Olivia; Pedro, Mario); the names above take precedence over the endings.
_ENDING_GENDER = (("a", "f"), ("o", "m"))
_GIVEN_EITHER = "nicola sasha alex sam robin taylor jamie casey morgan jordan"  # borne by women and men
GIVEN_GENDER = _gender_table(
    (_GIVEN_M, "m"), (_GIVEN_M_MORE, "m"), (_GIVEN_F, "f"), (_GIVEN_F_MORE, "f"), (_GIVEN_EITHER, "")
)


def given_gender(first: str) -> str:
    """The gender a (folded) given name marks: the lists, else its ending, else ""."""
    if first in GIVEN_GENDER:
        return GIVEN_GENDER[first]
    if len(first) > 2:
        for ending, gender in _ENDING_GENDER:
            if first.endswith(ending):
                return gender
    return ""


# Generic nouns for an organisation that speaks; the company words match any organisation.
ORG_NOUNS = frozenset(
    fold(w)
    for w in [
        "ministry",
        "ministerio",
        "ministère",
        "ministério",
        "ministero",
        "ministerium",
        "government",
        "gobierno",
        "gouvernement",
        "governo",
        "regierung",
        "police",
        "policía",
        "polícia",
        "polizia",
        "polizei",
        "army",
        "ejército",
        "armée",
        "exército",
        "esercito",
        "party",
        "partido",
        "parti",
        "partito",
        "partei",
        "campaign",
        "campaña",
        "agency",
        "agencia",
        "agence",
        "agência",
        "agenzia",
        "department",
        "departamento",
        "département",
        "court",
        "tribunal",
        "corte",
        "gericht",
        "commission",
        "comisión",
        "committee",
        "comité",
        "union",
        "sindicato",
        "syndicat",
        "gewerkschaft",
        "embassy",
        "embajada",
        "ambassade",
        "botschaft",
    ]
)
COMPANY_NOUNS = frozenset(
    fold(w)
    for w in [
        "company",
        "firm",
        "group",
        "bank",
        "empresa",
        "compañía",
        "grupo",
        "banco",
        "société",
        "entreprise",
        "groupe",
        "banque",
        "azienda",
        "società",
        "gruppo",
        "unternehmen",
        "konzern",
        "firma",
        "bank",
    ]
)

# Words for any organisation (`sostuvo la organización`): they match an organisation of any name.
GENERIC_ORG_NOUNS = frozenset(
    fold(w) for w in ["organisation", "organization", "organización", "organização", "organizzazione"]
)

# Prepositions that make the next words a complement inside an apposition (`director of X`).
_COMPLEMENT_WORDS = frozenset(
    ["of", "at", "for", "de", "del", "du", "des", "di", "da", "do", "von", "der", "la", "the"]
)
_ARTICLES = frozenset(["the", "a", "an", "los", "las", "les", "os", "as"])
_LEADING_PREPOSITIONS = frozenset(fold(w) for w in PREPOSITIONS | {"segun", "according", "of", "to"}) - {"a"}
_SENTENCE_END = re.compile(r"[.!?][»”\"')]*\s+")
_CLAUSE_BREAK = re.compile(r"[.;:!?\"“”«»\n]")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_MARKER_WINDOW = 3  # a title or gendered role this many words before a mention marks its gender
_NEAR_PEOPLE = 3  # how far back a person known to agree in gender beats nearer people of unknown gender


@dataclass(frozen=True)
class Resolved:
    """A speaker decided: the entity (None: nobody) and how (named, resolved, null)."""

    entity: Entity | None
    how: str


class StoryPeople:
    """Person and organisation mentions of one story in text order, and what marks each one's gender."""

    def __init__(self, text: str, entities: Sequence[Entity]) -> None:
        self.text = text
        speakers = [e for e in entities if e.type in SPEAKER_TYPES]
        self.mentions = sorted(
            (m.start, m.end, e) for e in speakers for m in e.mentions if m.start is not None and m.end is not None
        )
        self.starts = [m[0] for m in self.mentions]

    @cached_property
    def genders(self) -> dict[int, str]:
        """Gender per person entity (by id()) from titles or gendered roles before its mentions, else
        its given name; "" when nothing marks it. A person marked both ways is left unmarked."""
        out: dict[int, str] = {}
        for start, _end, entity in self.mentions:
            if entity.type != "person":
                continue
            marked = self._marked_before(start)
            if marked:
                previous = out.get(id(entity))
                out[id(entity)] = marked if previous in (None, "", marked) else "?"
        for _start, _end, entity in self.mentions:
            if entity.type == "person" and not out.get(id(entity)):
                first = fold(entity.name.split()[0]) if entity.name.split() else ""
                out[id(entity)] = given_gender(first)
        return {key: ("" if g == "?" else g) for key, g in out.items()}

    def _marked_before(self, start: int) -> str:
        words = [fold(w) for w in _WORD.findall(self.text[max(0, start - 40) : start])][-_MARKER_WINDOW:]
        for word in reversed(words):
            gender = TITLE_GENDER.get(word) or ROLE_GENDER.get(word)
            if gender:
                return gender
        head = self.text[max(0, start - 80) : start]
        if head.rstrip().endswith(","):
            # the role heading an apposition marks it: `La alcaldesa de Soto del Río, [Rosa Gil]`
            clause = head[: head.rstrip().rfind(",")]
            clause = clause[max((m.end() for m in _CLAUSE_BREAK.finditer(clause)), default=0) :]
            for word in (fold(w) for w in _WORD.findall(clause)):
                if ROLE_GENDER.get(word):
                    return ROLE_GENDER[word]
        return ""

    def gender(self, entity: Entity) -> str:
        return self.genders.get(id(entity), "")

    def before(self, position: int) -> list[Entity]:
        """Distinct entities mentioned before `position`, nearest first."""
        seen: set[int] = set()
        out: list[Entity] = []
        for k in range(bisect.bisect_left(self.starts, position) - 1, -1, -1):
            entity = self.mentions[k][2]
            if id(entity) not in seen:
                seen.add(id(entity))
                out.append(entity)
        return out

    def named_by(self, start: int, end: int) -> Entity | None:
        """The person or organisation a speaker's words name: a mention inside them, or one holding them
        whose other words are capitalised (`Ms. Wahl` for `Wahl`; not `Kim al` for `Kim`)."""
        # a role right before a name stands for it: `the Rev. [Peter Wherry]`, `candidate [Mitt Romney]`
        reach = end
        while reach < len(self.text) and reach - end < 3 and self.text[reach] in " .":
            reach += 1
        k = bisect.bisect_right(self.starts, reach)
        for m_start, m_end, entity in reversed(self.mentions[max(0, k - 12) : k]):
            if m_start == reach > end and entity.type == "person":
                return entity
            if not (m_start < end and start < m_end):
                continue
            if start <= m_start and m_end <= end:
                return entity
            outside = self.text[m_start:start] + " " + self.text[end:m_end] if m_start <= start else ""
            if m_end >= end and not any(w[0].islower() for w in _WORD.findall(outside)):
                return entity
        return None

    def apposition_head(self, start: int, complement: bool = True) -> Entity | None:
        """The person whose apposition holds the words at `start` when they are a complement in it
        (`Michael Mulgrew, president of the [Teachers] union` -> Michael Mulgrew), or, with
        `complement=False`, any words of it (`Johnnie Wilson, of Springfield, [Va.], said`)."""
        head = self.text[max(0, start - 160) : start]
        words = _WORD.findall(head)
        if complement and (not words or fold(words[-1]) not in _COMPLEMENT_WORDS):
            return None
        k = bisect.bisect_left(self.starts, start)
        for _m_start, m_end, entity in reversed(self.mentions[max(0, k - 6) : k]):
            if m_end > start or start - m_end > 150:
                continue
            between = self.text[m_end:start]
            if entity.type == "person" and between.startswith(",") and not _CLAUSE_BREAK.search(between):
                return entity
            return None  # the nearest mention is not a person heading an apposition
        return None

    def apposed_after(self, end: int) -> Entity | None:
        """The person named in apposition right after a role (`la présidente de l'établissement,
        [Claire Martin]`, `the spokesman for the ministry, [Ali Demir]`)."""
        k = bisect.bisect_left(self.starts, end)
        if k >= len(self.mentions):
            return None
        m_start, _m_end, entity = self.mentions[k]
        between = self.text[end:m_start]
        if entity.type != "person" or len(between) > 60 or not between.rstrip().endswith(","):
            return None
        return None if _CLAUSE_BREAK.search(between) else entity

    def _sentence_before(self, position: int) -> int:
        """Where the sentence that ends before `position` starts, within its paragraph."""
        head = self.text[max(0, position - 400) : position].rstrip()
        offset = max(0, position - 400)
        cut = max(
            (m.end() for m in _SENTENCE_END.finditer(head, 0, max(0, len(head) - 1))),
            default=0,
        )
        return offset + max(cut, head.rfind("\n") + 1)

    def first_in_sentence_before(self, position: int) -> Entity | None:
        """The first person or organisation named in the sentence that ends before `position`, within
        its paragraph and outside parentheses: who a following dropped subject is (`El ministerio
        confirmó cien casos. «...», indicó.`); news sentences open with their subject."""
        k = bisect.bisect_left(self.starts, self._sentence_before(position))
        for start, _end, entity in self.mentions[k:]:
            if start >= position:
                break
            if self.text[max(0, start - 1) : start] != "(" and not self._complement(start):
                return entity
        return None

    def opening_subject(self, position: int) -> Entity | None:
        """The person or organisation the sentence before `position` opens with as its subject: its first
        mention when nothing, or an article and a description (`La presidenta de la asociación, [Carmen
        Arnal], consideró`), stands before it; not a name inside a clause (`Recordó que [Ana Gil] ...`)."""
        begin = self._sentence_before(position)
        entity = self.first_in_sentence_before(position)
        if entity is None:
            return None
        start = next(m[0] for m in self.mentions[bisect.bisect_left(self.starts, begin) :] if m[2] is entity)
        words = [fold(w) for w in _WORD.findall(self.text[begin:start])]
        if words and not (words[0] in ARTICLE_GENDER or words[0] in _ARTICLES):
            return None
        return entity

    def opening_role(self, position: int) -> str:
        """The first words of the sentence before `position` when they open with an article (`El
        portavoz explicó ...`): a role noun phrase that may stand for its subject, else ""."""
        words = _WORD.findall(self.text[self._sentence_before(position) : position])[:3]
        return " ".join(words) if words and (fold(words[0]) in ARTICLE_GENDER or fold(words[0]) in _ARTICLES) else ""

    def _complement(self, start: int) -> bool:
        """The mention at `start` follows a preposition (`Según el Ministerio`, `in Ottawa`, `a EFE`):
        a complement, not the subject a dropped subject continues."""
        words = [fold(w) for w in _WORD.findall(self.text[max(0, start - 30) : start])][-2:]
        while words and (words[-1] in ARTICLE_GENDER or words[-1] in _ARTICLES):
            words.pop()
        return bool(words) and words[-1] in _LEADING_PREPOSITIONS

    def nearest_person(self, position: int, gender: str, roles: frozenset[str] = frozenset()) -> Entity | None:
        """The nearest person named before `position` whose gender does not disagree with `gender`; among
        the last few people, one introduced by a word of `roles` wins, then one whose gender is known to
        agree wins over nearer ones not known."""
        people = [e for e in self.before(position) if e.type == "person"]
        compatible = [e for e in people if not gender or self.gender(e) in ("", gender)]
        introduced = [e for e in compatible[:_NEAR_PEOPLE] if roles and self.introduced_as(e, roles)]
        if introduced:
            return introduced[0]  # `the union leader` is the one introduced as `union president`
        if gender:
            agreeing = [e for e in people[:_NEAR_PEOPLE] if self.gender(e) == gender]
            if agreeing:
                return agreeing[0]
        return compatible[0] if compatible else None

    def nearest_organisation(self, position: int, noun: str) -> Entity | None:
        """The nearest organisation named before `position` whose name holds `noun` (any, for company words)."""
        for entity in self.before(position):
            if entity.type != "organisation":
                continue
            name = fold(entity.name).split()
            if noun in COMPANY_NOUNS and ORG_NOUNS.isdisjoint(name):
                return entity  # `the company`: not a ministry, a court or a party
            if noun in GENERIC_ORG_NOUNS or noun in name:
                return entity
        return None

    def introduced_as(self, entity: Entity, roles: frozenset[str]) -> bool:
        """Whether a mention of `entity` has one of the `roles` words among the few words before it
        (`union president Frank Diaz`, `La alcaldesa de Soto, Eva Gil`)."""
        for start, _end, other in self.mentions:
            if other is entity:
                words = [fold(w) for w in _WORD.findall(self.text[max(0, start - 60) : start])][-6:]
                if not roles.isdisjoint(words):
                    return True
        return False


def pronoun_gender(word: str) -> str | None:
    """The gender a singular personal pronoun marks ("" for none), or None for any other word."""
    return PRONOUN_GENDER.get(word.lower())


def role_of(phrase: str) -> tuple[str, str] | None:
    """(`person`|`organisation`, gender) when `phrase` is a singular role or organisation noun phrase:
    `the minister`, `la portavoz del Gobierno`, `el jefe del Kremlin`, `el exmandatario`, `the
    ministry`, `the 54-year-old`. The head noun is the first noun before a preposition; the article
    before it may mark the gender. An indefinite article (`a spokesman`, `un portavoz`) brings in
    someone new and unnamed: no role of anyone named before. A possessive before a statement noun
    (`her statement`, `his letter`) stands for its owner: (`person`, the possessive's gender)."""
    words = [fold(w) for w in _WORD.findall(phrase)]
    if not words or len(words) > 8:
        return None
    if words[0] in POSSESSIVE_GENDER and any(w in STATEMENT_NOUNS for w in words[1:3]):
        return "person", POSSESSIVE_GENDER[words[0]]
    article = ""
    organisation = ""
    for k, word in enumerate(words):
        if organisation and words[k - 1] != organisation:
            break  # only a compound's next word (`the union leader`, `the police chief`) heads it
        if word in ("of", "de", "del", "do", "da", "della", "du", "des", "von", "der"):
            break
        if word in ARTICLE_GENDER or word in ("the", "a", "an", "this", "that", "les", "los", "las"):
            article = word
            continue
        if word.startswith("ex") and word[2:] in ROLE_GENDER:
            word = word[2:]  # `el exmandatario`, `l'ex-ministre`
        if word in ROLE_GENDER:
            if article in _INDEFINITE or (article == "a" and not word.endswith("a")):
                return None  # English `a`, not the Portuguese feminine article (`a ministra`)
            gender = ROLE_GENDER[word] or ARTICLE_GENDER.get(article, "")
            return "person", gender
        if not organisation and (word in ORG_NOUNS or word in COMPANY_NOUNS or word in GENERIC_ORG_NOUNS):
            organisation = word  # `the union leader`: a role after it is the head
    return ("organisation", organisation) if organisation else None


_PHRASE_END = re.compile(r"[,;:.!?()«»“”\"\n\x01]")


def noun_phrase(text: str, start: int, end: int) -> str:
    """The words a speaker's capitalised run sits in: the article before it and up to two words after,
    within the clause (`The [Indiana] governor`, `the former [Democratic] presidential nominee`)."""
    head = text[max(0, start - 30) : start]
    cut = max((m.end() for m in _PHRASE_END.finditer(head)), default=0)
    before = _WORD.findall(head[cut:])[-1:]
    tail = text[end : end + 40]
    stop = _PHRASE_END.search(tail)
    after = _WORD.findall(tail[: stop.start() if stop else len(tail)])[:2]
    return " ".join([*before, text[start:end], *after])


def resolve_role(people: StoryPeople, phrase: str, position: int) -> Resolved:
    """A role or organisation noun phrase as the nearest agreeing entity named before `position`."""
    role = role_of(phrase)
    if role is None:
        return Resolved(None, "null")
    kind, detail = role
    if kind == "person":
        heads = [w for w in (fold(w) for w in _WORD.findall(phrase)) if w in ROLE_GENDER]
        roles = ROLE_GROUP.get(heads[0], frozenset(heads[:1])) if heads else frozenset()
        entity = people.nearest_person(position, detail, roles)
    else:
        entity = people.nearest_organisation(position, detail)
    return Resolved(entity, "resolved" if entity is not None else "null")


def resolve_pronoun(people: StoryPeople, word: str, position: int, quote_at: int | None = None) -> Resolved:
    """A singular pronoun as the nearest person named before it whose gender agrees (`she` never takes
    a man); `it` is the organisation named last when no person was named after it (`the agency ...
    "...," it said`); `they`, `we` are no one speaker."""
    bare = word.split("’")[0].split("'")[0]
    if bare.lower() == "it":
        nearest = people.before(position)[:1]
        organisation = nearest[0] if nearest and nearest[0].type == "organisation" else None
        return Resolved(organisation, "resolved" if organisation is not None else "null")
    gender = pronoun_gender(bare)
    if gender is None:
        return Resolved(None, "null")
    entity = people.nearest_person(position, gender)
    # the subject of the sentence before the quote beats a nearer person in its complement (`Carney
    # spoke after meeting Trump. "...," he said.`) when its gender agrees, or when nothing marks either
    subject = people.first_in_sentence_before(quote_at) if quote_at is not None else None
    if subject is not None and subject.type == "person" and subject is not entity:
        marked = people.gender(subject)
        if marked == gender or (not marked and (entity is None or not people.gender(entity))):
            entity = subject
    return Resolved(entity, "resolved" if entity is not None else "null")
