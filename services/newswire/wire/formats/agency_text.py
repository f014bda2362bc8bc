"""Agency plain text: a headline, a dateline-led body and a sign-off.

The EFE shape (`../shared/seed`):

    date 2025-09-03 <headline>

    Pekín, 3 sep (EFE).- <first paragraph>
    <paragraphs>
    <last paragraph>.EFE

and the common `CITY, Month D (Agency) -`, `CITY (AP) _`, `Berlin (dpa) -`, `PARIS (AFP) -`,
`Lisboa, 3 set (Lusa) -`, `(ANSA) - ROMA, 3 SET -` shapes. Without a `date` line, a short
first paragraph followed by more text is the headline.

Plain text carries its metadata in words: `URGENTE`, `FLASH`, `Eil` (urgency), `CORRECTION`,
`CORRECCIÓN`, `Berichtigung` (a correction), `KILL`, `ELIMINAR`, `Achtung: entfällt` (a kill),
`1st Ld-Writethru`, `UPDATE 2`, `REFILE`, `(Ampliación)` (an update and its version). Those words
lead the headline or stand on their own line before it; `read_signals` finds them for every
text format (ANPA-1312 and IPTC 7901 use it too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import ClassVar
from zoneinfo import ZoneInfo

from newswire.wire.datelines import split_dateline
from newswire.wire.errors import WireError
from newswire.wire.model import Dateline, ParsedItem
from newswire.wire.registry import WireInput, register

_HEADER_LINE = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<headline>\S.*?)\s*$")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_MAX_HEADLINE_CHARS = 300
_MAX_PREAMBLE = 4

# Agencies whose bare name closes a story (`...siglo.EFE`, `(AP)`, `dpa`).
KNOWN_AGENCIES = (
    "EFE",
    "AFP",
    "AP",
    "Reuters",
    "dpa",
    "DPA",
    "ANSA",
    "Lusa",
    "LUSA",
    "AAP",
    "TT",
    "EP",
    "Europa Press",
    "EUROPA PRESS",
    "UPI",
    "APA",
    "SDA",
    "ATS",
    "KNA",
    "epd",
    "Kyodo",
    "KYODO",
    "ANP",
    "Belga",
    "NTB",
    "STT",
)
# Trailing editor initials: `EFE jm/ab`, `dpa xy yy`, `dpa abc yydd n1 sku`, `afp/mb`.
_INITIALS = r"(?:\s+[a-zA-Z]{1,4}(?:[/-][a-zA-Z]{1,4})+|(?:\s+[a-z][a-z0-9]{0,4}){1,6})?"
_CREDIT_LINE = re.compile(
    r"^\s*(?:\((?:Reporting|Writing|Editing|Additional reporting|Compiled|Redacción|Información|Edición|Editado"
    r"|Reportage|Rédaction|Rédigé|Édité|Edité|Reportagem|Redação|Edição|Mit Material|Redaktion|Bearbeitet"
    r"|Redazione|Reportage)\b[^\n]*\)"
    r"|(?:RIPRODUZIONE RISERVATA\s*)?(?:©|\(c\)|Copyright\s)[^\n]*"
    r"|[a-z]{1,4}(?:[/-][a-z]{1,4})+"
    # `(SDA\/sj)`, `(ats/afp/mb)`: an agency with editor initials in brackets closing the story.
    r"|\([A-Za-z]{2,8}(?:\s*\\?/\s*[A-Za-z]{1,6})+\)"
    # `==Kyodo`, `== AAP`: a sign-off after a rule of equals signs.
    r"|={2,}\s*[A-Za-z][\w .-]{0,30}"
    r"|[A-Z]{2,4}(?:\s*//\s*[A-Z]{2,4})+"
    r"|-*\s*\(?(?:END|FIN|ENDE|FINE)\)?\s*-*"
    r"|(?:The\s+)?Associated\s+Press|#+)\s*$",
    re.IGNORECASE,
)


_SIGNOFF_TAIL = 120


def _signoff_pattern(agencies: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(name) for name in agencies), key=len, reverse=True))
    # Glued (`siglo.EFE`) or spaced (`siglo. EFE`), optionally bracketed, optionally with initials.
    return re.compile(rf"(?<=[\s.!?»”\"')\]])\s*\(?(?:{names})\)?\.?{_INITIALS}\s*$")


def _standalone_signoff(agencies: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(name) for name in agencies), key=len, reverse=True))
    # A paragraph that is only the sign-off: `EFE`, `(ANSA).`, `dpa xy yy n1`, `Lusa/Fim`.
    return re.compile(rf"\(?(?:{names})\)?\.?{_INITIALS}(?:/\w+)?\.?")


def strip_signoff(paragraphs: list[str], agency: str | None) -> list[str]:
    """Drop credit lines and the agency sign-off that closes the last paragraph."""
    agencies = KNOWN_AGENCIES + ((agency,) if agency and agency not in KNOWN_AGENCIES else ())
    signoff = _signoff_pattern(agencies)
    alone = _standalone_signoff(agencies)
    kept = list(paragraphs)
    while kept and (_CREDIT_LINE.match(kept[-1]) or alone.fullmatch(kept[-1].strip())):
        kept.pop()
    if kept:
        # The sign-off sits in the last words: search only the tail, not a whole (possibly huge) paragraph.
        last = kept[-1]
        cut = max(0, len(last) - _SIGNOFF_TAIL)
        kept[-1] = (last[:cut] + signoff.sub("", last[cut:])).rstrip()
        if not kept[-1]:
            kept.pop()
    while kept and _CREDIT_LINE.match(kept[-1]):
        kept.pop()
    return kept


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single newlines inside one are folded into spaces."""
    blocks = _PARAGRAPH_BREAK.split(text.strip())
    if len(blocks) == 1 and "\n" in blocks[0]:
        # No blank lines at all: each line is a paragraph (common in wire dumps).
        blocks = blocks[0].split("\n")
    return [" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks if block.strip()]


# --- signals: urgency, corrections, kills, updates written as words -----------------------------------------------

_KILL_WORDS = (
    r"MANDATORY\s+KILL|STORY\s+KILLED|KILLED|KILL|WITHDRAWN|WITHDRAWAL|ELIMINAR(?:\s+NOTICIA)?|ELIMINADA|ANULADA"
    r"|ANULAR|ANULACI[ÓO]N|ANULA[ÇC][ÃA]O|SUPPRESSION|ANNULATION|[ÀA]\s+SUPPRIMER|ANNULLATA|ANNULLATO|ANNULLA"
    r"|DA\s+ANNULLARE|ACHTUNG[:!,]?\s+(?:\w+\s+){0,3}?ENTF[ÄA]LLT|ENTF[ÄA]LLT"
)
_CORRECTION_WORDS = (
    r"CORRECTION|CORRECTED|CORRECCI[ÓO]N|RECTIFICACI[ÓO]N|CORRIG[ÉE]|RECTIFICATIF|CORRECTIF|CORRE[ÇC][ÃA]O"
    r"|RETIFICA[ÇC][ÃA]O|KORREKTUR|BERICHTIGUNG|CORREZIONE|RETTIFICA"
)
_UPDATE_WORDS = (
    r"(?P<lead>\d{1,2})(?:ST|ND|RD|TH)\s*LD(?:[-\s]*WRITETHRU)?|(?P<thru>\d{1,2})(?:ST|ND|RD|TH)\s*WRITETHRU|WRITETHRU"
    r"|(?:REFILE[-\s]+)?UPDATE\s*(?P<upd>\d{1,2})|UPDATE|REFILE|REPEAT|RPT|RECAST|WRAPUP|SUB[-\s]?LEAD|NEW\s+LEAD"
    r"|(?P<nth>\d{1,2})(?:\.|ª|º)?\s*(?:ACTUALIZACI[ÓO]N|AMPLIACI[ÓO]N|ZUSAMMENFASSUNG)|ACTUALIZACI[ÓO]N|AMPLIACI[ÓO]N"
    r"|ACTUALIZA|AMPLIADA|MISE\s+[ÀA]\s+JOUR|ACTUALISATION|ACTUALIS[ÉE]|NOUVELLE\s+VERSION|ATUALIZA[ÇC][ÃA]O"
    r"|ATUALIZAD[AO]|ZUSAMMENFASSUNG|AKTUALISIERT|AKTUALISIERUNG|AGGIORNAMENTO|AGGIORNATA|AGGIORNATO"
)
_URGENCY_WORDS = {
    1: r"FLASH|BLITZ",
    2: r"BULLETIN|EILMELDUNG|EILT|EIL|ALERTA|ALERT|[ÚU]LTIMA\s+HORA",
    3: r"URGENTE|URGENT",
}
_ADVISORY_WORDS = r"ADVISORY|AVISO(?:\s+A\s+LOS\s+EDITORES)?|AVIS\s+AUX\s+R[ÉE]DACTIONS|HINWEIS|AVVISO"
_SIGNAL = re.compile(
    rf"(?P<kill>{_KILL_WORDS})|(?P<correction>{_CORRECTION_WORDS})|(?P<update>{_UPDATE_WORDS})"
    rf"|(?P<u1>{_URGENCY_WORDS[1]})|(?P<u2>{_URGENCY_WORDS[2]})|(?P<u3>{_URGENCY_WORDS[3]})|(?P<advisory>{_ADVISORY_WORDS})",
    re.IGNORECASE,
)
# A signal leading a headline: `URGENTE-`, `CORRECTION:`, `UPDATE 2-`, `(Ampliación)`, `Eil:`.
_SIGNAL_PREFIX = re.compile(
    rf"^\s*(?P<open>[(\[])?(?P<word>{_SIGNAL.pattern})(?P<close>[)\]])?(?P<sep>\s*[-–—:|=/.]+\s*|\s+|$)",
    re.IGNORECASE,
)
# A signal closing a headline: `... (Ampliación)`, `... - entfällt`, `... (CORRECTED)`.
_SIGNAL_SUFFIX = re.compile(
    rf"\s*(?:[(\[](?P<word>{_SIGNAL.pattern})[)\]]|[-–—]\s*(?P<bare>ENTF[ÄA]LLT))\s*$", re.IGNORECASE
)
# AP-style slug lines before the headline: `BC-EU--Storm, 1st Ld-Writethru, 480`.
_SLUG_LINE = re.compile(r"^(?:[A-Z]{2}-[A-Z]{2,4}-{1,2}[\w.-]+|\^?[A-Z]{2}-[A-Za-z]+--?[\w.-]+)[^\n]{0,80}$")
_EDNOTE = re.compile(
    r"^\s*(?:Eds?:|EDITOR'?S\s+NOTE\b|Editor'?s\s+note\b|NOTA\s+(?:A\s+LOS|AOS|DEL?|ALLA)\s+(?:EDITORES|EDITOR|REDA[CZ]"
    r"\w*)|NOTE\s+AUX\s+R[ÉE]DACTIONS|Achtung,?\s+Redaktion(?:en)?|Hinweis\s+f[üu]r\s+Redaktionen|Redaktioneller"
    r"\s+Hinweis|\((?:Corrects|Adds|Updates|Recasts|Refiles|Removes|Fixes|Changes|Repeats)\b)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:By|BY|Por|POR|Par|PAR|Von|VON|Di|DI)\s+[^\W\d_][^\n]{1,80}$")


@dataclass
class Signals:
    """What a wire said in words about the item: its kind, version, urgency and status."""

    kind: str = "story"
    version: int | None = None
    urgency: int | None = None
    pubstatus: str = "usable"
    ednotes: list[str] = field(default_factory=list)

    def merge(self, match: re.Match[str]) -> None:
        if match["kill"]:
            self.kind, self.pubstatus = "kill", "canceled"
        elif match["correction"]:
            if self.kind != "kill":
                self.kind = "correction"
        elif match["update"]:
            if self.kind in ("story", "advisory"):
                self.kind = "update"
            # AP's `1stLd`/`2ndLd-Writethru` number a lead, not a version of the story (the item keeps no version).
            number = next((match[name] for name in ("upd", "nth") if match[name]), None)
            if number:
                self.version = max(self.version or 0, int(number) + 1)
        elif match["advisory"]:
            if self.kind == "story":
                self.kind = "advisory"
        else:
            level = 1 if match["u1"] else 2 if match["u2"] else 3
            self.urgency = min(self.urgency or 9, level)

    def apply(self, item: ParsedItem) -> ParsedItem:
        """Write the signals into `item`, keeping what the format's own fields already said."""
        if (self.kind != "story" and item.kind in ("story", "update", "advisory")) or self.kind == "kill":
            item.kind = self.kind
        if self.pubstatus != "usable":
            item.pubstatus = self.pubstatus
        if self.version and not item.version:
            item.version = self.version
        if self.urgency and (item.urgency is None or self.urgency < item.urgency):
            item.urgency = self.urgency
        if self.ednotes:
            notes = ([item.ednote] if item.ednote else []) + self.ednotes
            item.ednote = " ".join(notes)
        return item


def _is_signal_word(text: str, match: re.Match[str]) -> bool:
    """Upper case signals always count; `Eil:` or `Correction:` only with punctuation after them."""
    word = match["word"]
    letters = [c for c in word if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    return bool(match["open"] and match["close"]) or bool(match["sep"].strip()) or match.end() >= len(text.rstrip())


def strip_signals(text: str, signals: Signals) -> str:
    """Take signal words off the front (and a bracketed one off the end) of a headline."""
    for _ in range(5):
        found = _SIGNAL_PREFIX.match(text)
        if not found or not _is_signal_word(text, found):
            break
        rest = text[found.end() :]
        sub = _SIGNAL.fullmatch(found["word"].strip())
        if sub is None:
            break
        signals.merge(sub)
        text = rest
    suffix = _SIGNAL_SUFFIX.search(text)
    if suffix and suffix.start() > 0:
        sub = _SIGNAL.fullmatch((suffix["word"] or suffix["bare"]).strip())
        if sub is not None:
            signals.merge(sub)
            text = text[: suffix.start()]
    return text.strip()


def is_signal_line(line: str) -> bool:
    """A line that only carries signals: `URGENTE`, `(Ampliación)`, `KILL - KILL - KILL`, `1st Ld-Writethru`."""
    signals = Signals()
    return bool(line.strip()) and not strip_signals(line.strip(), signals).strip(" -–—:|=/.()[]")


def read_signals(text: str, signals: Signals, any_case: bool = False) -> None:
    """Every signal anywhere in a header or slug line (`BC-Storm, 1st Ld-Writethru, 480`).

    In running text only upper-case words and numbered leads count; `any_case` is for header
    fields that hold nothing but version words (ANPA's `Correction`, IPTC 7901's take line).
    """
    for found in _SIGNAL.finditer(text):
        before = text[found.start() - 1] if found.start() else " "
        after = text[found.end()] if found.end() < len(text) else " "
        if before.isalnum() or after.isalpha():
            continue
        letters = [c for c in found.group(0) if c.isalpha()]
        if any_case or found["update"] or (letters and all(c.isupper() for c in letters)):
            signals.merge(found)


def is_ednote(paragraph: str) -> bool:
    return bool(_EDNOTE.match(paragraph))


@register
class AgencyTextParser:
    """Plain-text agency stories (EFE, AP, AFP, Reuters, dpa, Lusa, ANSA ... styles)."""

    name: ClassVar[str] = "agency_text"
    content_types: ClassVar[tuple[str, ...]] = ("text/plain", "text/x-agency")
    binary: ClassVar[bool] = False

    def sniff(self, head: bytes) -> int:
        stripped = head.lstrip()
        if not stripped or stripped[:1] in (b"<", b"{", b"[") or (stripped[:1] < b" " and stripped[:1] not in (b"\t",)):
            return 0
        text = stripped.decode("utf-8", errors="replace")
        if _HEADER_LINE.match(text.split("\n", 1)[0]):
            return 90
        if any(split_dateline(paragraph) for paragraph in split_paragraphs(text)[:6]):
            return 70
        return 10  # any other prose: the fallback format

    def parse(self, wire: WireInput) -> list[ParsedItem]:
        text = wire.text.replace("\r\n", "\n").replace("\r", "\n")
        first, _, rest = text.strip().partition("\n")
        # The `date ...` header line is a paragraph of its own even with no blank line after it.
        paragraphs = [first.strip(), *split_paragraphs(rest)] if _HEADER_LINE.match(first) else split_paragraphs(text)
        if not paragraphs:
            raise WireError("missing_content", "no text")
        return [parse_story(paragraphs, wire.feed_timezone)]


def parse_story(paragraphs: list[str], feed_timezone: str = "UTC", reference: date | None = None) -> ParsedItem:
    """The plain-text reading of a story's paragraphs: signals, headline, byline, dateline, body."""
    paragraphs = list(paragraphs)
    signals = Signals()
    headline, message_date = _headline(paragraphs, signals)
    reference = message_date or reference
    byline, subheadline = None, None
    dateline_at = next(
        (index for index, paragraph in enumerate(paragraphs[:_MAX_PREAMBLE]) if split_dateline(paragraph)), None
    )
    if dateline_at:
        # Between the headline and the dateline: a byline, an editor's note, a subheadline.
        consumed = 0
        for paragraph in paragraphs[:dateline_at]:
            if is_ednote(paragraph):
                signals.ednotes.append(paragraph)
            elif _BYLINE.match(paragraph) and byline is None:
                byline = paragraph
            elif byline and consumed and _BYLINE.match(paragraphs[consumed - 1]) and _is_byline_title(paragraph):
                byline = f"{byline}, {paragraph}"
            elif is_signal_line(paragraph):
                strip_signals(paragraph, signals)
            elif subheadline is None and len(paragraph) <= _MAX_HEADLINE_CHARS:
                subheadline = paragraph
            else:
                break
            consumed += 1
        del paragraphs[:consumed]
    dateline, paragraphs = _dateline(paragraphs, reference)
    paragraphs = strip_signoff(paragraphs, dateline.agency if dateline else None)
    zone = ZoneInfo(feed_timezone)
    created = datetime.combine(message_date, time(0, 0), tzinfo=zone) if message_date else None
    item = ParsedItem(
        headline=headline or None,
        subheadline=subheadline,
        byline=byline,
        paragraphs=paragraphs,
        dateline=dateline,
        agency=dateline.agency if dateline else None,
        firstcreated=created,
        versioncreated=created,
        assumed_timezone=feed_timezone if created else None,
    )
    return signals.apply(item)


def _is_byline_title(paragraph: str) -> bool:
    """`Associated Press`, `AP Sports Writer`, `dpa`: the line under a byline."""
    return len(paragraph) <= 60 and not re.search(r"[.!?;:]\s|[.!?]$", paragraph) and len(paragraph.split()) <= 6


def _headline(paragraphs: list[str], signals: Signals) -> tuple[str | None, date | None]:
    """Take the headline off the front: a `date YYYY-MM-DD` line, or a short first paragraph.

    Signal and slug lines before it (`URGENTE`, `BC-Storm, 1st Ld-Writethru`) and editor's notes
    are read and dropped; signal words leading the headline are read and cut off it.
    """
    header = _HEADER_LINE.match(paragraphs[0])
    if header:
        del paragraphs[0]
        try:
            message_date: date | None = date.fromisoformat(header["date"])
        except ValueError:
            message_date = None
        return strip_signals(header["headline"], signals) or header["headline"], message_date
    for _ in range(_MAX_PREAMBLE):
        if len(paragraphs) < 2:
            break
        first = paragraphs[0]
        if is_signal_line(first):
            strip_signals(first, signals)
        elif _SLUG_LINE.match(first) and not split_dateline(first):
            read_signals(first, signals)
        elif is_ednote(first):
            signals.ednotes.append(first)
        else:
            break
        del paragraphs[0]
    first = paragraphs[0]
    if len(paragraphs) > 1 and len(first) <= _MAX_HEADLINE_CHARS and not split_dateline(first):
        del paragraphs[0]
        return strip_signals(first, signals) or first, None
    return None, None


def _dateline(paragraphs: list[str], message_date: date | None) -> tuple[Dateline | None, list[str]]:
    if not paragraphs:
        return None, paragraphs
    split = split_dateline(paragraphs[0], message_date)
    if split is None:
        return None, paragraphs
    dateline, rest = split
    return dateline, ([rest] if rest.strip() else []) + paragraphs[1:]
