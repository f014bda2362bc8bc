"""Language stage: lingua's pick, close relatives settled by cue words, mixed stories, fallbacks."""

from __future__ import annotations

import pytest
from lingua import ConfidenceValue, IsoCode639_1, Language

from newswire.enrich.language_cues import FAMILY_CUES, MALAY_MARKED, MARKED
from newswire.enrich.registry import Document
from newswire.enrich.stages.language import (
    FAMILY_MEMBERS,
    FAMILY_WORDS,
    cue_counts,
    detect_language,
    identify,
)

# Hand-written sentences (not from any eval set): each uses the words its standard language writes.
CLOSE_RELATIVES = [
    ("nn", "Eg veit ikkje kva dei meiner om saka, men ho sa at det var berre tull."),
    ("nb", "Jeg vet ikke hva de mener om saken, men hun sa at det bare var tull."),
    ("da", "Jeg ved ikke hvad de mener om sagen, men hun sagde til mig at det var noget vrøvl."),
    ("ms", "Kerajaan berkata bahawa projek itu akan siap pada bulan Disember kerana kerja sudah bermula."),
    ("id", "Pemerintah mengatakan bahwa proyek itu akan selesai pada bulan Desember karena pekerjaan sudah dimulai."),
    ("hr", "Tijekom prošlog tjedna više od tisuću ljudi prosvjedovalo je ispred Sabora."),
    # lingua alone gets these three wrong (id -> ms, hr -> bs, nn -> nb): one cue word decides
    ("id", "Mereka mau pulang setelah makan malam."),
    ("hr", "Tko je to rekao i što je htio?"),
    ("nn", "Ho har mange venner."),
    ("bs", "Tokom prošle sedmice više od hiljadu ljudi protestovalo je ispred zgrade, gdje je policija čekala."),
    # Bosnian h (lahko) and ć where Serbian writes št (saopćenje); Croatian sustav/glasnogovornik
    ("bs", "Ljekar je u saopćenju naveo da je pacijent lahko povrijeđen i da će uskoro kući."),
    ("hr", "Glasnogovornik ministarstva rekao je da sustav javne nabave treba promijeniti do kraja godine."),
    ("sr", "Portparol opštine je saopštio da će radovi na mostu biti završeni posle praznika."),
    ("ms", "Pesakit itu dihantar ke hospital selepas kemalangan jalan raya semalam."),
    ("id", "Pasien itu dibawa ke rumah sakit setelah kecelakaan lalu lintas kemarin sore."),
    ("ms", "Majoriti pelabur asing menjangka produktiviti kilang itu meningkat tahun depan."),
    ("nn", "Det er vanleg at elevane får ei eiga datamaskin når dei byrjar på skulen."),
]


@pytest.mark.parametrize(("expected", "text"), CLOSE_RELATIVES)
def test_close_relatives_are_told_apart(expected: str, text: str) -> None:
    found = identify(text)
    assert found is not None and found[0] == expected, found
    assert 0.0 < found[1] <= 1.0


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("en", "The central bank raised interest rates on Tuesday for the third time this year."),
        ("es", "El banco central subió el martes los tipos de interés por tercera vez este año."),
        ("de", "Die Zentralbank hat am Dienstag zum dritten Mal in diesem Jahr die Zinsen erhöht."),
    ],
)
def test_other_languages_are_lingua_s_pick(expected: str, text: str) -> None:
    found = identify(text)
    assert found is not None and found[0] == expected
    assert found[1] > 0.5


def test_no_language_in_empty_or_symbol_text() -> None:
    assert identify("   ") is None
    assert identify("12345 !!! 67890") is None


def test_serbian_in_latin_script_goes_by_its_ekavian_forms() -> None:
    text = "Posle sastanka predstavnici su rekli gde i kada će deca dobiti nove knjige tokom godine."
    found = identify(text)
    assert found is not None and found[0] == "sr"


def test_context_supplies_cues_that_the_head_sample_lacks() -> None:
    head = "Pihak berkuasa akan memulakan kerja pembinaan di kawasan itu"
    context = head + " kerana projek tersebut sentiasa mendapat sokongan penduduk sejak bulan Julai."
    plain = identify(head)
    assert plain is not None and plain[0] in {"ms", "id"}
    found = identify(head, context)
    assert found is not None and found[0] == "ms"


def test_cue_counts_weigh_marked_forms_and_shared_words() -> None:
    assert cue_counts("kerana bahwa karena", "malay") == {"ms": MALAY_MARKED, "id": 2}
    # a word repeated is one piece of evidence
    assert cue_counts("uang, uang dan uang kerana", "malay") == {"ms": MALAY_MARKED, "id": 1}
    # gdje is ijekavian (Croatian and Bosnian), tokom eastern (Bosnian and Serbian)
    assert cue_counts("Gdje tokom", "bcs") == {"bs": 1 + MARKED, "hr": 1, "sr": MARKED}
    assert cue_counts("ikke av", "norwegian") == {"da": 1, "nb": 2, "nn": 1}


def test_cue_counts_read_word_endings_of_the_standards() -> None:
    assert cue_counts("produktiviti kredibilitas", "malay") == {"ms": MALAY_MARKED, "id": 1}  # -iti / -itas
    assert cue_counts("vanleg", "norwegian") == {"da": 0, "nb": 0, "nn": 1}  # Nynorsk -leg
    assert cue_counts("vanlig", "norwegian") == {"da": 1, "nb": 1, "nn": 0}
    assert cue_counts("birokracija", "bcs") == {"bs": 0, "hr": 1, "sr": 0}
    assert cue_counts("birokratija organizovali", "bcs") == {"bs": 2 * MARKED, "hr": 0, "sr": 2 * MARKED}
    # an ending alone is not a word of the language
    assert cue_counts("leg lig itas", "norwegian") == {"da": 0, "nb": 0, "nn": 0}


def test_cue_table_is_consistent() -> None:
    for family, groups in FAMILY_CUES.items():
        for members, weight, words in groups:
            assert set(members) <= set(FAMILY_MEMBERS[family]) and weight >= 1
            assert all(word == word.lower() for word in words.split())
        # every listed word is in the lookup once (a word listed twice would fail at import)
        assert len(FAMILY_WORDS[family]) == sum(len(words.split()) for _, _, words in groups)
        for member in FAMILY_MEMBERS[family]:
            assert hasattr(IsoCode639_1, member.upper()), member


def test_stage_reads_cues_beyond_the_head_and_keeps_a_one_language_story_whole() -> None:
    sentence = (
        "Pihak berkuasa tempatan menjangkakan kerja menaik taraf jalan di kawasan itu bermula minggu depan "
        "dan akan mengambil masa beberapa bulan. "
    )
    text = "\n\n".join([sentence] * 4 + ["Penduduk berkata mereka menyokong projek itu kerana jalan lama sempit."])
    info = detect_language(Document(text=text, headline="Kerja naik taraf jalan bermula"), {})["language"]
    assert info.code == "ms"
    assert info.paragraphs == []


def test_stage_lists_paragraphs_when_the_story_switches_language() -> None:
    spanish = "El Gobierno aprobó hoy un plan de inversiones en infraestructuras para los próximos cinco años. " * 5
    english = "The government approved an infrastructure investment plan for the next five years on Monday. " * 5
    info = detect_language(Document(text=f"{spanish}\n\n{english}"), {})["language"]
    assert info.code == "es"
    assert [(p.index, p.code) for p in info.paragraphs] == [(0, "es"), (1, "en")]


def test_a_confident_detection_beats_a_wrong_declared_tag() -> None:
    text = (
        "The regional parliament voted late on Tuesday to delay the budget, and the opposition said it would "
        "challenge the decision in court before the end of the month."
    )
    info = detect_language(Document(text=text, declared_language="it-IT"), {})["language"]
    assert (info.code, info.declared) == ("en", "it-IT")
    assert info.confidence >= 0.7


def test_a_table_of_names_and_figures_keeps_its_declared_tag() -> None:
    # lingua reads the club names in a results table as some language; the figures are no evidence against the tag
    table = "\n".join(
        f"{home} ({h1}) {h2} {away} ({a1}) {a2}"
        for home, away, h1, h2, a1, a2 in [
            ("Vila Nova", "Santa Clara", 0, 1, 1, 2),
            ("Ribeira Brava", "Porto Moniz", 2, 3, 0, 0),
            ("Sao Vicente", "Machico Norte", 1, 1, 1, 4),
            ("Ponta Delgada", "Lagoa Azul", 0, 0, 0, 1),
        ]
    )
    info = detect_language(Document(text=table, declared_language="en-US"), {})["language"]
    assert info.code == "en"


def test_a_short_line_keeps_its_declared_tag_against_a_confident_pick() -> None:
    # lingua is sure this line is German (the club and league names); a few words are no evidence against the tag
    line = "Bundesliga: Bayern Munich wins again"
    assert detect_language(Document(text=line), {})["language"].code == "de"
    assert detect_language(Document(text=line, declared_language="en"), {})["language"].code == "en"


def test_three_letter_declared_tags_are_read() -> None:
    info = detect_language(Document(text="", declared_language="swe"), {})["language"]
    assert info.code == "sv"


def test_stage_falls_back_to_the_declared_language_without_text() -> None:
    info = detect_language(Document(text="", declared_language="fr"), {})["language"]
    assert (info.code, info.confidence, info.declared) == ("fr", 0.0, "fr")
    assert detect_language(Document(text=""), {}) == {}


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("si", "ශ්‍රී ලංකාවේ ජනාධිපති අද පාර්ලිමේන්තුවේදී නව අයවැය ඉදිරිපත් කළේය."),
        ("am", "የኢትዮጵያ መንግሥት ዛሬ አዲስ የበጀት እቅድ አቅርቧል ይህም ለትምህርት ነው።"),
        ("ti", "መንግስቲ ኤርትራ ሎሚ ኣብ ኣስመራ ሓድሽ መደብ ኣቕሪቡ እዩ።"),
        ("om", "Mootummaan naannoo Oromiyaa har'a karoora haaraa baasee jira, akka gabaasni ibsetti."),
        ("om", "Namoonni hedduu magaalaa keessatti walitti qabaman."),
        # Tigrinya ሓ and a vowel-final noun, Amharic አ and the plural -ች: no function word needed
        ("ti", "ሓድሽ ሕጊ"),
        ("am", "አዲስ ሕግ"),
        ("am", "ተማሪዎች መጡ"),
    ],
)
def test_languages_lingua_lacks_come_from_script_and_function_words(expected: str, text: str) -> None:
    identified = identify(text)
    assert identified is not None and identified[0] == expected


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("ro", "Ar putea fi adevărat, dar nu știm încă."),  # `fi` is Oromo 'and' too: one word is not enough
        ("pl", "Inni uczniowie przyszli później do szkoły."),
    ],
)
def test_a_stray_oromo_word_does_not_make_a_text_oromo(expected: str, text: str) -> None:
    identified = identify(text)
    assert identified is not None and identified[0] == expected


def test_a_language_whose_letters_the_text_lacks_is_set_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    from newswire.enrich.stages import language

    lingua = language._confidences

    def taken_for_kazakh(
        text: str, mode: str, without: Language | None = None, known: frozenset[str] = frozenset()
    ) -> list[ConfidenceValue]:
        # as if lingua had taken the Ukrainian sentence for Kazakh, which writes ә ғ қ ң ө ұ ү һ in every sentence
        return [ConfidenceValue(Language.KAZAKH, 1.0)] if without is None else lingua(text, mode, without, known)

    monkeypatch.setattr(language, "_confidences", taken_for_kazakh)
    identified = identify("Дуже радує те, що з кожним роком нові підручники стають кращими.")
    assert identified is not None and identified[0] == "uk"
    assert identify("Біз бүгін жаңа кітаптар туралы сөйлестік.") == ("kk", 1.0)  # its own letters: kept


def test_short_paragraphs_of_a_mixed_story_are_settled_among_its_languages() -> None:
    from newswire.enrich.stages import language

    # Short German sentences whose likeliest languages include Danish, Norwegian, Dutch or Welsh.
    german = [
        "Nach Angaben von Emma Clarke sollen die Arbeiten vor 2026 abgeschlossen sein.",
        "Die Gewerkschaften forderten mehr Gespräche und beriefen ein Treffen für Montag ein.",
    ]
    language._detector_among.cache_clear()
    for sentence in german:
        assert identify(sentence, known=frozenset({"de", "es"})) is not None
    assert language._detector_among.cache_info().currsize == 0  # no high-accuracy model loaded
    assert [identify(sentence, known=frozenset({"de", "es"}))[0] for sentence in german] == ["de", "de"]  # type: ignore[index]
    # Spanish is known too, and a Spanish sentence is still Spanish.
    assert identify("El gobierno aprobó hoy el presupuesto", known=frozenset({"de", "es"}))[0] == "es"  # type: ignore[index]


def test_short_texts_load_high_accuracy_models_only_for_a_few_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    from newswire.enrich.stages import language

    language._detector_among.cache_clear()
    assert identify("El gobierno aprobó hoy el presupuesto")[0] == "es"  # type: ignore[index]
    assert language._detector_among.cache_info().currsize == 1
    monkeypatch.setenv("NEWSWIRE_LANGID_ACCURACY", "low")
    language._detector_among.cache_clear()
    assert identify("The government approved the budget today")[0] == "en"  # type: ignore[index]
    assert language._detector_among.cache_info().currsize == 0


def test_a_tail_in_the_head_s_language_skips_the_second_lingua_pass_but_a_neighbour_does_not() -> None:
    from newswire.enrich.stages.language import _tail_plainly_in

    spanish = (
        "El presidente del Gobierno anunció hoy en Madrid que el plan de vivienda se aprobará antes del "
        "verano y que las comunidades recibirán los fondos en dos plazos, según explicó la ministra. "
    ) * 3
    catalan = (
        "El govern ha anunciat aquest dimecres que destinarà més recursos a les escoles públiques i que els "
        "pressupostos del proper any inclouran una partida per a la millora dels centres, segons la consellera."
    )
    assert _tail_plainly_in(spanish, "es")
    assert not _tail_plainly_in(spanish + catalan, "es")
    assert not _tail_plainly_in(spanish, "en")
