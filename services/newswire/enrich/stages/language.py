"""Language identification with lingua: the story's BCP-47 code and confidence, per paragraph when mixed.

The story language comes from the text, not from what the input declared: wires mislabel.
A sample from the head of the story (headline and first sentences) decides the language,
so the cost stays flat however long the story is; a second sample from the tail catches
stories that switch language, and only then is each paragraph identified.

Accuracy modes (NEWSWIRE_LANGID_ACCURACY): `low` uses lingua's trigram models only (~70 MB,
accurate on story-length text); `high` loads every n-gram model (~900 MB) and is markedly
better on single short sentences; `adaptive` (the default) reads texts shorter than
SHORT_TEXT_CHARS twice: the low-accuracy pass names the few likeliest languages, and the
high-accuracy models of only those decide. lingua loads a language's models once per process
and shares them between detectors, so memory grows with the languages a feed actually sends
short texts in (~10-30 MB each), not with all 75.

Close relatives that lingua's n-grams cannot tell apart (Malay/Indonesian, Croatian/Bosnian/
Serbian, Bokmål/Nynorsk/Danish) are settled by a small table of words that only some members
of the family use (function words, standard spellings, month names); high-accuracy models
do no better there, so no extra model is loaded for it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from lingua import ConfidenceValue, Language, LanguageDetector, LanguageDetectorBuilder

from newswire.enrich.lexical import fold_word, stopwords
from newswire.enrich.registry import Document, Findings, stage
from newswire.events.extension import LanguageInfo, ParagraphLanguage

HEAD_CHARS = 400
TAIL_CHARS = 300
SHORT_TEXT_CHARS = 120
FUNCTION_WORD_LANGUAGES = ("es", "en", "fr", "de", "pt", "it")  # the lists in enrich/data/stopwords.json
# Function words of close neighbours that have no list (Catalan, Galician, Dutch): two of them in the tail
# mean lingua must look after all.
_NEIGHBOUR_WORDS = (  # none of these is a function word of the six listed languages
    "els dels amb aquest aquesta aquests perque tambe seva molt despres"  # Catalan (folded)
    " unha unhas xa cando dende tamen"  # Galician
    " het een zijn niet ook maar naar werd bij"  # Dutch
)
NEIGHBOUR_MARKERS = frozenset(_NEIGHBOUR_WORDS.split())
# When a text's function words are plainly one of the six, lingua decides among it and these relatives
# only: the same answer for such texts at a fraction of the cost of all 75 models.
_L = Language
RELATIVES: dict[str, tuple[Language, ...]] = {
    "es": (_L.SPANISH, _L.CATALAN, _L.PORTUGUESE, _L.ITALIAN, _L.LATIN, _L.TAGALOG, _L.ESPERANTO, _L.ROMANIAN),
    "pt": (_L.PORTUGUESE, _L.SPANISH, _L.CATALAN, _L.ITALIAN, _L.LATIN, _L.ESPERANTO),
    "it": (_L.ITALIAN, _L.SPANISH, _L.CATALAN, _L.PORTUGUESE, _L.LATIN, _L.ROMANIAN, _L.ESPERANTO),
    "fr": (_L.FRENCH, _L.CATALAN, _L.ITALIAN, _L.SPANISH, _L.PORTUGUESE, _L.LATIN, _L.ROMANIAN),
    "en": (_L.ENGLISH, _L.DUTCH, _L.AFRIKAANS, _L.WELSH, _L.IRISH, _L.DANISH, _L.BOKMAL, _L.SWEDISH, _L.MAORI,
           _L.TAGALOG, _L.ALBANIAN, _L.CATALAN),
    "de": (_L.GERMAN, _L.DUTCH, _L.AFRIKAANS, _L.DANISH, _L.BOKMAL, _L.NYNORSK, _L.SWEDISH),
}
SHORT_TEXT_CANDIDATES = 3  # languages the high-accuracy pass chooses among, in adaptive mode
MIXED_CONFIDENCE = 0.6
# cue words are cheap to count, so family decisions read more of the story than lingua does
CUE_CHARS = 3000

# Each family: (members that use the words, weight, words the other members do not use), written from the
# standard languages, not from data. Malay writing takes in Indonesian forms and Bosnian accepts Croatian ones,
# while the reverse hardly happens, so a form that marks Malay or Bosnian/Serbian counts three times.
MARKED = 3
FAMILY_CUES: dict[str, list[tuple[tuple[str, ...], int, str]]] = {
    "malay": [
        (("ms",), MARKED, "kerana bahawa sahaja iaitu mahu selepas pelbagai sentiasa syarikat kenderaan universiti"
         " aktiviti kualiti komuniti identiti kapasiti realiti fasiliti filem muzik muzium cuba setiausaha dijangka"
         " projek televisyen telefon menerusi justeru tempoh kempen pertubuhan seramai sebarang perniagaan bisnes"
         " antarabangsa majlis tempatan sokongan menyokong tentera askar perlembagaan mesyuarat jawatan"
         " jawatankuasa peratus bilion trilion julai ogos disember lapan"),
        (("id",), 1, "karena bahwa yaitu mau uang berbagai senantiasa kendaraan universitas aktivitas kualitas"
         " komunitas identitas kapasitas realitas fasilitas musik museum kantor coba gratis toko bisa banget nggak"
         " gak enggak aja sih dong kok udah gimana bikin kayak sekretaris proyek dokter mobil telepon televisi"
         " informasi bisnis persen miliar triliun maret juni juli agustus desember delapan internasional dukungan"
         " mendukung tentara konstitusi komite panitia pemilu kemarin pemerintah lokal ujar ujarnya tuturnya"
         " silakan"),
    ],
    "bcs": [
        (("hr",), 1, "tko netko nitko također točka točno tisuća tisuću tisuće tjedan tjedna tjedno tjednu obitelj"
         " obitelji povijest povijesti povijesni povijesne kemija kemijski suradnja suradnju suradnji suradnici"
         " sveučilište sveučilišta sveučilištu nogomet nogometni nogometna nogometaš nogometaši vlak vlaka kruh kava"
         " kazalište kazališta europa europe europi europu europske europski europska europskoj europsku europskog"
         " europskih europskim siječanj siječnja veljača veljače ožujak ožujka travanj travnja svibanj svibnja"
         " lipanj lipnja srpanj srpnja kolovoza rujan rujna listopad listopada studenoga prosinac prosinca tijekom"
         " uvjet uvjeti uvjeta uvjete uvjetima sudjelovanje sudjelovati sudjelovao sudjelovala sudjeluje sudjeluju"
         " redatelj redateljica glazba glazbe glazbeni glazbena znanost znanosti znanstveni znanstvenik"
         " znanstvenici zrakoplov zrakoplova izvješće izvješća priopćenje tvrtka tvrtke tvrtki momčad momčadi"
         " prosvjed prosvjedi zastupnik zastupnici sabor sabora saboru veleposlanik veleposlanstvo gospodarstvo"
         " gospodarstva gospodarski gospodarske jučer obrana obrane obrani obranu milijun milijuna milijune tvornica"
         " tvornice financijski financijske financijska sudionik sudionici izbornik demokracija španjolska"
         " španjolski španjolske švicarska švicarske talijanski talijanska talijanske"),
        # ijekavian reflexes of old e
        (("hr", "bs"), 1, "gdje ovdje poslije prije uvijek vrijeme lijepo lijep dijete djeca djece mjesto mjesta"
         " mjestu rijeka rijeke pjesma pjesme pjesmu cijena cijene sjedište predsjednik predsjednika predsjedniku"
         " predsjednica vijest vijesti svijet svijeta svijetu djevojka bijeli nedjelja nedjelje dio dijela dijelu"),
        # the eastern lexicon: standard in Serbian, accepted in Bosnian, avoided in Croatian
        (("bs", "sr"), MARKED, "ko neko niko šta takođe tačka tačno hiljada hiljadu hiljade sedmica sedmice sedmicu"
         " porodica porodice porodici porodicu hemija hemijski saradnja saradnju saradnji saradnici univerzitet"
         " univerziteta univerzitetu fudbal fudbalski fudbalska fudbaler voz voza kafa kafe pozorište pozorišta"
         " evropa evrope evropi evropu evropske evropski evropska evropskoj evropsku evropskog evropskih evropskim"
         " januar januara februar februara mart marta aprila maj maja juni juna jun juli jula jul avgust avgusta"
         " septembar septembra oktobar oktobra novembar novembra decembar decembra tokom uslov uslovi uslova"
         " uslove uslovima učešće učestvovati učestvovao učestvuje muzika muzike muzički nauka nauke naučni"
         " naučnik naučnici avion aviona aerodrom aerodroma izvještaj izvještaja firma preduzeće poslanik poslanici"
         " ambasador ambasada juče privreda privrede privredni odbrana odbrane odbrani odbranu milion miliona"
         " milione fabrika fabrike finansijski finansijske finansijska učesnik učesnici demokratija španija španski"
         " španske švajcarska švajcarske italijanski italijanska italijanske vazduh ostrvo ostrva sprat spratu"),
        (("bs",), MARKED, "historija historije historiji historijski historijske lahko mehko sahat kahva hljeb hljeba"),
        # Serbian in Latin script: ekavian reflexes (lingua's Serbian is Cyrillic, which needs no cue); forms that
        # are also Slovene (mesto, vreme, reka, predsednik) are left out
        (("sr",), 1, "istorija istorije istoriji istorijski gde ovde posle uvek dete deca dece pesma pesme pesmu"
         " sedište devojka deo"),
    ],
    "norwegian": [
        (("nn",), 1, "ikkje eg ein eit kva korleis kvifor kven kvar kvart noko nokon nokre berre dei deira dykk frå"
         " mykje sjølv heile fekk gjekk vart sidan enno òg hjå medan saman ho hennar vere seier gjer fleire meir då"
         " sjå difor veke veker månad kyrkje byrja kome vore vorte ynskje skule kvarandre anna annan verda utan"
         " kjem"),
        (("nb",), 1, "hennes sier gjør mer fikk gikk ble noe noen hva mye uke nå uten hverandre verden"),
        (("da",), 1, "af hvad nu efter mig dig sig blev meget noget nogen nogle ud op mellem igen gennem uden fik gik"
         " siger gør hendes uge købe spørgsmål"),
        (("nb", "da"), 1, "ikke jeg hvem hvor hvordan hvorfor hver hvert hun de sammen være bare selv hele siden mens"
         " en et fra måned kirke kommer da"),
        (("nb", "nn"), 1, "av etter meg deg seg ut opp mellom igjen gjennom kjøpe spørsmål"),
    ],
}
WORD = re.compile(r"\w+(?:-\w+)*")


def _cue_table() -> dict[str, dict[str, tuple[tuple[str, ...], int]]]:
    """family -> word -> (members that use it, weight)."""
    table: dict[str, dict[str, tuple[tuple[str, ...], int]]] = {}
    for family, groups in FAMILY_CUES.items():
        words = table.setdefault(family, {})
        for members, weight, listed in groups:
            for word in listed.split():
                assert word not in words, f"{word} listed twice in {family}"
                words[word] = (members, weight)
    return table


FAMILY_WORDS = _cue_table()
FAMILY_MEMBERS = {
    family: tuple(sorted({member for members, _, _ in groups for member in members}))
    for family, groups in FAMILY_CUES.items()
}
FAMILY_OF = {member: family for family, members in FAMILY_MEMBERS.items() for member in members}


@lru_cache(maxsize=2)
def detector(high_accuracy: bool) -> LanguageDetector:
    """Built once per process and mode; lingua loads each language model on first use."""
    builder = LanguageDetectorBuilder.from_all_languages()
    return builder.build() if high_accuracy else builder.with_low_accuracy_mode().build()


@lru_cache(maxsize=512)
def _detector_among(languages: frozenset[Language]) -> LanguageDetector:
    """A high-accuracy detector over a few languages; cheap to build, models shared with the others."""
    return LanguageDetectorBuilder.from_languages(*languages).build()


@lru_cache(maxsize=len(FUNCTION_WORD_LANGUAGES))
def _detector_near(code: str) -> LanguageDetector:
    """Low accuracy over a language and the relatives its function words could be confused with."""
    return LanguageDetectorBuilder.from_languages(*RELATIVES[code]).with_low_accuracy_mode().build()


def _confidences(text: str, mode: str) -> list[ConfidenceValue]:
    if mode == "high":
        return list(detector(True).compute_language_confidence_values(text))
    if len(text) >= SHORT_TEXT_CHARS:
        likely = function_word_language(text)
        if likely is not None:
            return list(_detector_near(likely).compute_language_confidence_values(text))
    values = list(detector(False).compute_language_confidence_values(text))
    if mode != "adaptive" or len(text) >= SHORT_TEXT_CHARS or not values or values[0].value <= 0.0:
        return values
    candidates = frozenset(value.language for value in values[:SHORT_TEXT_CANDIDATES] if value.value > 0.0)
    if len(candidates) < 2:
        return values
    return list(_detector_among(candidates).compute_language_confidence_values(text))


def _mode() -> str:
    return os.environ.get("NEWSWIRE_LANGID_ACCURACY", "adaptive").lower()


def _cut(text: str, limit: int, from_end: bool = False) -> str:
    if len(text) <= limit:
        return text
    if from_end:
        start = text.find(" ", len(text) - limit)
        return text[start + 1 if start >= 0 else len(text) - limit :]
    end = text.rfind(" ", 0, limit)
    return text[: end if end > 0 else limit]


def _code(value: ConfidenceValue) -> str:
    return str(value.language.iso_code_639_1.name.lower())


def _family(code: str) -> str:
    return FAMILY_OF.get(code, code)


def cue_counts(text: str, family: str) -> dict[str, int]:
    """Weighted count of the words in the text that mark each member of the family."""
    table = FAMILY_WORDS[family]
    counts = dict.fromkeys(FAMILY_MEMBERS[family], 0)
    for word in WORD.findall(text.lower()):
        members, weight = table.get(word, ((), 0))
        for language in members:
            counts[language] += weight
    return counts


def _within_family(code: str, values: list[ConfidenceValue], text: str) -> tuple[str, float]:
    """The family member the cue words point to; lingua's order among the members breaks ties."""
    family = FAMILY_OF[code]
    members = FAMILY_MEMBERS[family]
    scores = {member: float(value.value) for value in values if (member := _code(value)) in members}
    counts = cue_counts(text, family)
    top = max(counts.values())
    tied = [language for language, count in counts.items() if count == top]
    chosen = max(tied, key=lambda language: scores.get(language, 0.0))
    total = sum(counts.values())
    if not total:
        return chosen, scores.get(chosen, 0.0)
    # lingua splits its confidence across the family; the cue words' share says how sure the pick within it is
    return chosen, sum(scores.values()) * top / total


# Languages lingua has no model for, recognised by their script or by their commonest words (written from
# the standard languages): Sinhala has a script of its own; Amharic and Tigrinya share Ethiopic, where
# Tigrinya writes the vowel carrier ኣ and Amharic አ, and each has its own function words; Oromo is written
# in Latin letters with words no other language uses.
SINHALA = re.compile(r"[\u0d80-\u0dff]")
ETHIOPIC = re.compile(r"[\u1200-\u137f]")
LETTER = re.compile(r"[^\W\d_]")
ETHIOPIC_CUES = {
    "am": frozenset("ነው ናቸው ነበር ነበረ የነበረ እና ግን ይህ ይህን ይህም ወደ ላይ ውስጥ ጋር አለ አሉ ሆኖ ስለ እንደ ብቻ ደግሞ".split()),  # noqa: SIM905
    "ti": frozenset("እዩ እዮም ኣብ ናይ ምስ ከም እዚ እዚኣ ኣሎ ኣለዉ ነይሩ ኢሉ ግን ድማ ብዛዕባ ካብ ንምሕደራ ኣይ".split()),  # noqa: SIM905
}
_OROMO_WORDS = (
    "akka keessatti irratti jedhe jedhan jechuun waliin wajjin isaan inni ishee garuu yeroo biyya biyyoota namoota"
    " hojii ture turan jira jiru jirti qabu qaba qabdi keessa booda dura akkasumas kanaaf haala mootummaa oromoo"
    " oromiyaa naannoo godina magaalaa barnoota fayyaa dhimma irraa gara kanneen kun kuni ani nuti isin"
)
OROMO_CUES = frozenset(_OROMO_WORDS.split())


def _outside_lingua(text: str) -> tuple[str, float] | None:
    letters = len(LETTER.findall(text)) or 1
    if len(SINHALA.findall(text)) / letters > 0.5:
        return "si", 0.99
    if len(ETHIOPIC.findall(text)) / letters > 0.5:
        words = WORD.findall(text)
        tigrinya = text.count("ኣ") + 3 * sum(word in ETHIOPIC_CUES["ti"] for word in words)
        amharic = text.count("አ") + 3 * sum(word in ETHIOPIC_CUES["am"] for word in words)
        total = tigrinya + amharic
        code = "ti" if tigrinya > amharic else "am"
        return code, round(0.5 + 0.5 * max(tigrinya, amharic) / total, 4) if total else 0.5
    words = [word.lower() for word in WORD.findall(text)]
    hits = [word for word in words if word in OROMO_CUES]
    if len(set(hits)) >= 2 and len(hits) >= 0.1 * len(words):
        return "om", round(min(0.95, 0.5 + len(hits) / len(words)), 4)
    return None


def identify(text: str, context: str | None = None) -> tuple[str, float] | None:
    """The most likely ISO 639-1 code and its confidence, or None for text with no language.

    `context` is a longer sample of the same text, read only for the cue words of a family of close relatives.
    """
    text = text.strip()
    if not text:
        return None
    outside = _outside_lingua(text)
    if outside is not None:
        return outside
    values = _confidences(text, _mode())
    if not values or values[0].value <= 0.0:
        return None
    code = _code(values[0])
    if code in FAMILY_OF:
        code, confidence = _within_family(code, values, _cut(context or text, CUE_CHARS))
        return code, round(confidence, 4)
    return code, round(float(values[0].value), 4)


@lru_cache(maxsize=1)
def _function_word_weights() -> dict[str, dict[str, float]]:
    """Per listed language, each of its function words weighted 1/(how many of the six lists have it):
    `el` counts fully for Spanish, `de` a quarter for each language that uses it."""
    lists = {language: stopwords(language) for language in FUNCTION_WORD_LANGUAGES}
    holders: dict[str, int] = {}
    for words in lists.values():
        for word in words:
            holders[word] = holders.get(word, 0) + 1
    return {language: {word: 1 / holders[word] for word in words} for language, words in lists.items()}


def function_word_language(text: str) -> str | None:
    """The one of FUNCTION_WORD_LANGUAGES whose function words plainly dominate `text`, else None.

    Cheap (a set lookup per word) next to lingua, whose trigram models over every language are
    memory-bound; a None sends the text to lingua over all languages. Plainly: a quarter of the words
    are its function words, and its weighted function-word score is 1.5 times any other's."""
    letters = LETTER.findall(text)
    latin = sum(letter.isascii() or "\u00c0" <= letter <= "\u024f" for letter in letters)
    if not letters or latin < 0.95 * len(letters):
        return None  # another script in the text: lingua over every language decides
    # Words of one or two letters (`a`, `le`, `se`, `o`) are function words in too many languages to tell.
    sample = [folded for word in WORD.findall(text) if len(folded := fold_word(word)) > 2]
    if len(sample) < 15 or sum(word in NEIGHBOUR_MARKERS for word in sample) >= 2:
        return None
    weights = _function_word_weights()
    scores = {language: sum(table.get(word, 0.0) for word in sample) for language, table in weights.items()}
    best = max(scores, key=scores.__getitem__)
    if any(scores[best] < 1.5 * score for language, score in scores.items() if language != best):
        return None
    share = sum(word in stopwords(best) for word in sample) / len(sample)
    return best if share >= 0.15 else None


def _tail_plainly_in(text: str, code: str) -> bool:
    """True when the tail's function words are clearly the head language's (most stories): no second
    lingua pass is needed to rule out a switch."""
    return function_word_language(_cut(text, TAIL_CHARS, from_end=True)) == code


def _paragraph_languages(text: str) -> list[ParagraphLanguage]:
    found = []
    for index, paragraph in enumerate(text.split("\n\n")):
        identified = identify(_cut(paragraph, HEAD_CHARS), paragraph)
        if identified:
            found.append(ParagraphLanguage(index=index, code=identified[0], confidence=identified[1]))
    return found


@stage("language", "BCP-47 language of the story (and of each paragraph when it mixes languages), with lingua")
def detect_language(document: Document, found: Mapping[str, Any]) -> Findings:
    whole = f"{document.headline}\n{document.text}".strip()
    identified = identify(_cut(whole, HEAD_CHARS), whole)
    if identified is None:
        if document.declared_language:
            declared = document.declared_language
            return {"language": LanguageInfo(code=declared, confidence=0.0, declared=declared)}
        return {}
    code, confidence = identified
    paragraphs: list[ParagraphLanguage] = []
    if len(document.text) > HEAD_CHARS + TAIL_CHARS and not _tail_plainly_in(document.text, code):
        tail = identify(_cut(document.text, TAIL_CHARS, from_end=True))
        # a tail in a close relative of the head's language is the same language sampled thinly, not a switch
        if tail and _family(tail[0]) != _family(code) and tail[1] >= MIXED_CONFIDENCE:
            paragraphs = _paragraph_languages(document.text)
    return {"language": LanguageInfo(code=code, confidence=confidence, declared=document.declared_language,
                                     paragraphs=paragraphs)}
