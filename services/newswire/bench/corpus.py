"""A synthetic but realistic raw-wire corpus: mixed formats and languages, 200-1,500 words, all distinct.

Every text is generated here from invented sentence templates (no agency copy). Stories are
deterministic for a given seed and index, and each differs in headline, numbers and names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from xml.sax.saxutils import escape

PLACES = {
    "es": [("Madrid", "EFE"), ("Bogotá", "EFE"), ("Lima", "EFE"), ("Buenos Aires", "EFE"), ("México", "EFE")],
    "en": [("LONDON", "Reuters"), ("WASHINGTON", "AP"), ("SYDNEY", "AAP"), ("NEW YORK", "AP"), ("NAIROBI", "Reuters")],
    "fr": [("PARIS", "AFP"), ("DAKAR", "AFP"), ("GENÈVE", "AFP"), ("MONTRÉAL", "AFP")],
    "de": [("Berlin", "dpa"), ("Wien", "dpa"), ("Hamburg", "dpa"), ("München", "dpa")],
    "pt": [("Lisboa", "Lusa"), ("Brasília", "Lusa"), ("Porto", "Lusa")],
    "it": [("Roma", "ANSA"), ("Milano", "ANSA"), ("Napoli", "ANSA")],
}
PEOPLE = [
    "Ana Torres",
    "John Miller",
    "Claire Dubois",
    "Jonas Weber",
    "Rita Alves",
    "Marco Rossi",
    "Lena Park",
    "Omar Haddad",
    "Sofia Lindqvist",
    "Carlos Mendoza",
    "Emma Clarke",
    "Luca Bianchi",
]
ORGS = [
    "the Ministry of Finance",
    "the central bank",
    "the national rail operator",
    "the health ministry",
    "the port authority",
    "the electoral commission",
    "the football federation",
    "the weather service",
]

SENTENCES = {
    "es": [
        "El Gobierno anunció hoy un plan de {n} millones de euros para modernizar {org}.",
        "«Es un paso necesario para el país», dijo {person} ante los periodistas.",
        "La medida afectará a unas {n}000 personas durante los próximos {k} meses, según fuentes oficiales.",
        "Los sindicatos pidieron más diálogo y convocaron una reunión para el próximo {day}.",
        "La oposición criticó la falta de detalles y exigió una comparecencia urgente en el Congreso.",
        "Según {person}, el calendario previsto permitirá completar las obras antes de {year}.",
        "Las lluvias de la última semana obligaron a cerrar {k} carreteras en el norte de la región.",
        "El índice de precios subió un {k},{n} % interanual, por encima de lo esperado por los analistas.",
    ],
    "en": [
        "Officials announced a {n} million dollar plan on {day} to upgrade {org}.",
        '"This is the right step for the country," {person} told reporters.',
        "About {n},000 people will be affected over the next {k} months, according to official figures.",
        "Unions called for more talks and scheduled a meeting for next {day}.",
        "The opposition criticised the lack of detail and demanded an urgent hearing in parliament.",
        "According to {person}, the timetable would allow the work to finish before {year}.",
        "Heavy rain over the past week forced the closure of {k} roads in the north of the region.",
        "Consumer prices rose {k}.{n} percent from a year earlier, above analysts' forecasts.",
    ],
    "fr": [
        "Le gouvernement a annoncé un plan de {n} millions d'euros pour moderniser {org}.",
        '"C\'est une étape nécessaire pour le pays", a déclaré {person} aux journalistes.',
        "Environ {n} 000 personnes seront concernées au cours des {k} prochains mois, selon des chiffres officiels.",
        "Les syndicats ont réclamé davantage de dialogue et prévu une réunion {day} prochain.",
        "L'opposition a dénoncé le manque de précisions et exigé une audition urgente au Parlement.",
        "Selon {person}, le calendrier permettra d'achever les travaux avant {year}.",
    ],
    "de": [
        "Die Regierung kündigte ein Programm über {n} Millionen Euro zur Modernisierung an.",
        "„Das ist ein notwendiger Schritt für das Land“, sagte {person} vor Journalisten.",
        "Rund {n}.000 Menschen seien in den kommenden {k} Monaten betroffen, hieß es aus Regierungskreisen.",
        "Die Gewerkschaften forderten mehr Gespräche und beriefen ein Treffen für {day} ein.",
        "Die Opposition kritisierte fehlende Details und verlangte eine Anhörung im Parlament.",
        "Nach Angaben von {person} sollen die Arbeiten vor {year} abgeschlossen sein.",
    ],
    "pt": [
        "O Governo anunciou hoje um plano de {n} milhões de euros para modernizar {org}.",
        '"É um passo necessário para o país", disse {person} aos jornalistas.',
        "Cerca de {n} mil pessoas serão afetadas nos próximos {k} meses, segundo dados oficiais.",
        "Os sindicatos pediram mais diálogo e marcaram uma reunião para a próxima {day}.",
    ],
    "it": [
        "Il governo ha annunciato oggi un piano da {n} milioni di euro per modernizzare {org}.",
        '"È un passo necessario per il Paese", ha detto {person} ai giornalisti.',
        "Circa {n} mila persone saranno interessate nei prossimi {k} mesi, secondo dati ufficiali.",
        "I sindacati hanno chiesto più dialogo e convocato un incontro per {day} prossimo.",
    ],
}
HEADLINES = {
    "es": "Plan número {i} para {org} con {n} millones",
    "en": "Plan number {i} for {org} worth {n} million",
    "fr": "Plan numéro {i} pour {org} de {n} millions",
    "de": "Programm Nummer {i} mit {n} Millionen Euro",
    "pt": "Plano número {i} para {org} com {n} milhões",
    "it": "Piano numero {i} per {org} da {n} milioni",
}
MONTHS = {"es": "sep", "en": "Sept.", "fr": "sept", "de": "September", "pt": "set", "it": "set"}
DAYS = {"es": "lunes", "en": "Monday", "fr": "lundi", "de": "Montag", "pt": "segunda-feira", "it": "lunedì"}
LANGUAGE_WEIGHTS = {"es": 30, "en": 35, "fr": 12, "de": 12, "pt": 6, "it": 5}
FORMAT_WEIGHTS = {"agency_text": 60, "nitf": 20, "newsml_g2": 20}


@dataclass(frozen=True)
class RawWire:
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]
    language: str
    format: str


def _paragraphs(rng: random.Random, language: str, words: int) -> list[str]:
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(1, 3)):
            template = rng.choice(SENTENCES[language])
            sentence = template.format(
                n=rng.randint(2, 950),
                k=rng.randint(2, 12),
                person=rng.choice(PEOPLE),
                org=rng.choice(ORGS),
                day=DAYS[language],
                year=rng.randint(2026, 2031),
            )
            sentences.append(sentence)
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return paragraphs


def _agency_text(headline: str, place: str, agency: str, day: int, language: str, paragraphs: list[str]) -> str:
    if agency == "EFE":
        dateline = f"{place}, {day} {MONTHS[language]} (EFE).- "
    elif agency in ("AP",):
        dateline = f"{place} (AP) _ "
    elif language == "en":
        dateline = f"{place}, {MONTHS[language]} {day} ({agency}) - "
    else:
        dateline = f"{place}, {day} {MONTHS[language]} ({agency}) - "
    body = "\n\n".join([dateline + paragraphs[0], *paragraphs[1:]])
    return f"date 2025-09-{day:02d} {headline}\n\n{body}\n"


def _nitf(index: int, headline: str, place: str, agency: str, day: int, language: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<nitf version="-//IPTC//DTD NITF 3.5//EN" xml:lang="{language}">'
        f'<head><title>{escape(headline)}</title><docdata><doc-id id-string="bench-{index}"/>'
        f'<date.issue norm="2025090{day % 9 + 1}T120000Z"/><urgency ed-urg="5"/></docdata></head>'
        f"<body><body.head><hedline><hl1>{escape(headline)}</hl1></hedline>"
        f"<dateline><location><city>{escape(place)}</city></location></dateline></body.head>"
        f"<body.content>{body}</body.content></body></nitf>"
    )


def _g2(index: int, headline: str, place: str, agency: str, language: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:bench:g2:'
        f'{index}" version="1" standard="NewsML-G2" standardversion="2.29" xml:lang="{language}">'
        '<catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_37.xml"/>'
        '<itemMeta><itemClass qcode="ninat:text"/><provider literal="'
        f'{escape(agency)}"/><versionCreated>2025-09-03T10:00:00Z</versionCreated>'
        '<pubStatus qcode="stat:usable"/></itemMeta>'
        f"<contentMeta><urgency>4</urgency><located><name>{escape(place)}</name></located>"
        f'<language tag="{language}"/><headline>{escape(headline)}</headline></contentMeta>'
        '<contentSet><inlineXML contenttype="application/xhtml+xml">'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></inlineXML></contentSet></newsItem>'
    )


def generate(count: int, seed: int = 7, min_words: int = 200, max_words: int = 1500) -> list[RawWire]:
    rng = random.Random(seed)
    languages = list(LANGUAGE_WEIGHTS)
    formats = list(FORMAT_WEIGHTS)
    corpus = []
    for index in range(count):
        language = rng.choices(languages, weights=list(LANGUAGE_WEIGHTS.values()))[0]
        wire_format = rng.choices(formats, weights=list(FORMAT_WEIGHTS.values()))[0]
        place, agency = rng.choice(PLACES[language])
        day = rng.randint(1, 28)
        headline = HEADLINES[language].format(i=index, org=rng.choice(ORGS), n=rng.randint(2, 950))
        paragraphs = _paragraphs(rng, language, rng.randint(min_words, max_words))
        if wire_format == "nitf":
            text, content_type = (
                _nitf(index, headline, place, agency, day, language, paragraphs),
                "application/nitf+xml",
            )
        elif wire_format == "newsml_g2":
            text, content_type = _g2(index, headline, place, agency, language, paragraphs), ""
        else:
            text, content_type = _agency_text(headline, place, agency, day, language, paragraphs), "text/plain"
        headers = [("source", f"bench-{agency.lower()}".encode())]
        if content_type:
            headers.append(("content-type", content_type.encode()))
        corpus.append(RawWire(f"bench-{index}".encode(), text.encode("utf-8"), headers, language, wire_format))
    return corpus
