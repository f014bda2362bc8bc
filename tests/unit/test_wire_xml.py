"""The XML wire formats (NITF, NewsML-G2, NewsML 1.2) and their safe XML layer. No broker needed."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage, Rejected
from newswire.wire import formats  # noqa: F401  (registers the parsers)
from newswire.wire.errors import WireError
from newswire.wire.formats._xml import (
    MAX_ELEMENTS,
    Clock,
    dateline_from_text,
    decode_xml,
    parse_xml,
    sniff_root,
    text_of,
)
from newswire.wire.model import ParsedItem, SubjectCode
from newswire.wire.registry import SNIFF_BYTES, WireInput, choose_parser, get_parser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wires"
PASSWD_MARKERS = ("root:", "/bin/", "nologin")


def data_of(family: str, name: str) -> bytes:
    return (FIXTURES / family / name).read_bytes()


def parse(family: str, name: str, feed_timezone: str = "UTC") -> list[ParsedItem]:
    data = data_of(family, name)
    parser = choose_parser(data[:SNIFF_BYTES])
    return parser.parse(WireInput(data=data, text="", feed_timezone=feed_timezone))


def parse_bytes(data: bytes, parser_name: str = "nitf") -> list[ParsedItem]:
    return get_parser(parser_name).parse(WireInput(data=data, text=""))


def rejected(data: bytes, parser_name: str = "nitf") -> WireError:
    with pytest.raises(WireError) as caught:
        parse_bytes(data, parser_name)
    return caught.value


# ---------------------------------------------------------------------------- NITF


def test_nitf_story_declared_latin1_but_utf8() -> None:
    [item] = parse("nitf", "story-latin1-declared-utf8.xml")
    assert item.headline == "Harbour ferry returns after winter repairs"
    assert item.subheadline == "Café owners on the quay expect busier weekends"
    assert item.byline == "By Zoë Álvarez"
    assert item.paragraphs[0].startswith("The small ferry that links the walled town")
    assert "“We had a queue on the slipway" in item.paragraphs[2] and "Hélène Kerbrat" in item.paragraphs[2]
    assert item.paragraphs[3] == "Season\tCrossings per day\nWinter\t12\nSummer\t28"
    assert item.paragraphs[4] == "The ferry leaves the quay on Friday morning."
    assert not any("editing by" in paragraph.lower() for paragraph in item.paragraphs)  # body.end tagline
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.date_text, item.dateline.date) == (
        "Saint-Malo",
        "March 14",
        date(2025, 3, 14),
    )
    assert item.agency == "Acme Wire"
    assert item.agency_id == "ACME-20250314-0042"
    assert item.firstcreated == datetime(2025, 3, 14, 8, 15, tzinfo=UTC)
    assert item.versioncreated == item.firstcreated
    assert item.embargoed is None
    # The ed-msg "Adds a quote ..." is an editor's update signal (as in AP's "Eds: Adds ...").
    assert (item.urgency, item.version, item.kind, item.pubstatus) == (4, 2, "update", "usable")
    assert item.language == "en"
    assert item.slugline == "FERRY-HARBOUR"
    assert item.subjects == [
        SubjectCode("subj", "04000000", "Economy, Business and Finance"),
        SubjectCode("subj", "04015000", "Transport"),
    ]
    assert item.keywords == ["ferry", "harbour", "transport"]
    assert item.genres == ["Current"]
    assert item.ednote == "Adds a quote from the harbour master in paragraph 3."
    assert item.recoveries == ["declared ISO-8859-1 but the bytes are UTF-8: read as UTF-8"]
    assert item.assumed_timezone is None


def test_nitf_dateline_from_first_paragraph_with_embargo_and_feed_zone() -> None:
    [item] = parse("nitf", "story-doctype-dateline-in-paragraph.xml", feed_timezone="Europe/Madrid")
    assert item.headline == "Una niña de once años gana el torneo de ajedrez del barrio"
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency, item.dateline.date) == ("Valencia", "Acme", date(2025, 5, 14))
    assert item.paragraphs[0].startswith("Una niña de once años se impuso")
    assert len(item.paragraphs) == 3
    assert item.language == "es"
    assert item.urgency == 2
    assert item.agency == "Acme" and item.agency_id == "ACME-ES-7781"
    # Zone-less docdata times take the feed's zone, and say so.
    assert item.assumed_timezone == "Europe/Madrid"
    assert item.firstcreated == datetime(2025, 5, 14, 6, 0, tzinfo=UTC)
    assert item.embargoed == datetime(2025, 5, 14, 10, 0, tzinfo=UTC)
    assert item.subjects == [SubjectCode("subj", "15000000", "Deporte")]
    assert item.recoveries == []


def test_nitf_unbound_prefix_is_recovered() -> None:
    [item] = parse("nitf", "recover-unbound-prefix.xml")
    assert item.headline == "Riverside library reopens with a repair café"
    assert item.paragraphs[0].startswith("The library in Riverside reopened on Tuesday")
    assert len(item.paragraphs) == 2
    assert item.recoveries == ["an unbound namespace prefix was read as part of the element name"]


def test_nitf_truncated_dump_is_recovered() -> None:
    [item] = parse("nitf", "recover-truncated.xml")
    assert item.headline == "Night train timetable published for the autumn"
    assert item.paragraphs[-1] == "Tickets go on sale next Monday."
    assert len(item.paragraphs) == 2
    assert item.recoveries == ["elements left open at the end of the document (truncated feed) were closed"]


def test_nitf_management_status_canceled_is_a_kill() -> None:
    data = (
        b'<nitf><head><docdata management-status="canceled"><doc-id id-string="K-1"/>'
        b'<ed-msg msg-type="kill" info="Withdrawn."/></docdata></head>'
        b"<body><body.head><hedline><hl1>Withdrawn story</hl1></hedline></body.head></body></nitf>"
    )
    [item] = parse_bytes(data)
    assert (item.kind, item.pubstatus, item.ednote) == ("kill", "canceled", "Withdrawn.")


def test_nitf_agate_tables_are_kind_table() -> None:
    [item] = parse("nitf", "agate-standings.xml")
    assert item.kind == "table"
    assert item.paragraphs[0] == "All times local"
    assert item.paragraphs[1].splitlines()[1] == "Harbour Hawks\t9\t2\t.818"


def test_nitf_dateline_holding_only_a_timestamp_gives_the_body_place() -> None:
    [item] = parse("nitf", "timestamp-dateline.xml")
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency, item.dateline.date) == ("Lugo", "Acme", date(2026, 3, 5))
    assert item.paragraphs[0].startswith("El ayuntamiento abrió")


def test_nitf_listing_paragraphs_count_as_agate() -> None:
    data = b"""<nitf><body><body.head><hedline><hl1>Rowing leaders</hl1></hedline></body.head><body.content>
      <table><tr><th>Sprints</th></tr></table>
      <p>Smith, Harbour, 31; Jones, Pier, 28; Brown, Bay, 27; Green, Cove, 25; White, Dock, 24.</p>
      <p>Lee, Harbour, 77; Kim, Pier, 67; Park, Bay, 67; Cho, Cove, 65; Han, Dock, 64.</p>
      </body.content></body></nitf>"""
    [item] = parse_bytes(data)
    assert item.kind == "table"


def test_g2_table_signal_makes_a_table() -> None:
    data = b"""<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="t" version="2"><itemMeta>
      <signal qcode="sic:TABLE"/><signal qcode="edStat:U"/></itemMeta>
      <contentMeta><headline>UPDATE 1-Harbour league results</headline></contentMeta>
      <contentSet><inlineData>Pier 2 Cove 1</inlineData></contentSet></newsItem>"""
    [item] = parse_bytes(data, "newsml_g2")
    assert item.kind == "table"  # what the item is wins over its revision state


def test_nitf_story_with_prose_and_a_small_table_stays_a_story() -> None:
    data = b"""<nitf><body><body.head><hedline><hl1>Ferry count</hl1></hedline></body.head><body.content>
      <p>The ferry carried more passengers this winter than in any winter since the line opened, the operator
      said on Monday, crediting the new timetable and the cheaper season ticket for commuters.</p>
      <table><tr><td>2025</td><td>41,000</td></tr></table></body.content></body></nitf>"""
    [item] = parse_bytes(data)
    assert item.kind == "story"


# ---------------------------------------------------------------------------- NewsML-G2


def test_g2_news_item() -> None:
    [item] = parse("newsml_g2", "newsitem-story.xml")
    assert item.headline == "Rooftop allotments open above a city bus depot"
    assert item.subheadline == "Waiting list already runs to 400 names"
    assert item.paragraphs[0].startswith("Forty raised beds opened on Monday")  # repeated dateline stripped
    assert item.paragraphs[2:] == [
        "Bees next",
        '"The next step is two beehives," said Marta Oduya, who chairs the trust.',
        "Plots: 40",
        "Waiting list: 400",
    ]
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency, item.dateline.date) == ("LONDON", "Acme", date(2025, 6, 2))
    assert item.language == "en-GB"
    assert (item.kind, item.version, item.urgency, item.pubstatus) == ("story", 1, 3, "usable")
    assert item.agency == "Acme Wire"
    assert item.agency_id == "urn:newsml:acmewire.example:20250602:garden-0001"
    assert item.byline == "Priya Natarajan"
    assert item.slugline == "GARDEN-ROOFTOP"
    assert item.firstcreated == datetime(2025, 6, 2, 13, 50, tzinfo=UTC)
    assert item.versioncreated == datetime(2025, 6, 2, 14, 5, tzinfo=UTC)
    assert item.embargoed == datetime(2025, 6, 2, 15, 0, tzinfo=UTC)
    assert item.subjects == [SubjectCode("medtop", "06000000", "environment"), SubjectCode("subj", "06000000")]
    assert item.keywords == ["community garden", "allotments"]
    assert item.genres == ["Current"]
    assert item.ednote == "Embargoed until 1600 local time."


def test_g2_news_message_with_three_text_items() -> None:
    items = parse("newsml_g2", "newsmessage-three-items.xml")
    assert [item.language for item in items] == ["fr", "de", "en"]  # the picture item is skipped
    bakery, ferry, museum = items
    # Inline NITF body, its dateline taken off the first paragraph.
    assert bakery.headline == "Une boulangerie coopérative ouvre dans un ancien garage"
    assert bakery.paragraphs[0].startswith("Douze boulangers ont ouvert mercredi")
    assert bakery.dateline is not None and bakery.dateline.place == "Lyon"
    assert bakery.byline == "Par Camille Roux"
    assert bakery.agency == "ACMEWIRE"  # provider qcode nprov:ACMEWIRE
    assert bakery.subjects == [SubjectCode("medtop", "04000000", "économie, affaires et finance")]
    # inlineData plain text.
    assert ferry.paragraphs == [
        "Die Hafenfähre fährt in den Sommerferien jeden Abend bis Mitternacht, teilte der Betreiber am Mittwoch mit.",
        "Bisher endete der Betrieb um 22 Uhr.",
    ]
    assert ferry.dateline is not None
    assert (ferry.dateline.place, ferry.dateline.date) == ("Hamburg", date(2025, 7, 9))
    assert ferry.keywords == ["Fähre"]
    # An update signal; the located place stands in for a missing dateline.
    assert (museum.kind, museum.version, museum.urgency) == ("update", 2, 6)
    assert museum.dateline is not None and museum.dateline.place == "Bristol"
    assert museum.subjects == [SubjectCode("medtop", "01000000", "arts, culture, entertainment and media")]


def test_g2_correction() -> None:
    [item] = parse("newsml_g2", "correction.xml")
    assert (item.kind, item.version, item.pubstatus) == ("correction", 3, "usable")
    assert item.ednote == "Corrects the name of the school in the second paragraph."
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.date_text) == ("TUCSON, Ariz.", "June 11")
    assert item.byline == "Dana Whitfield"
    assert item.language == "en-US"
    assert item.firstcreated == datetime(2025, 6, 11, 19, 0, tzinfo=UTC)


def test_g2_kill() -> None:
    [item] = parse("newsml_g2", "kill.xml")
    assert (item.kind, item.pubstatus, item.version, item.urgency) == ("kill", "canceled", 4, 1)
    assert item.agency_id == "urn:newsml:acmewire.example:20250611:school-0114"
    assert item.paragraphs == ["Editors: Acme Wire has withdrawn this story. It will not be replaced."]


def test_g2_package_without_inline_items_is_missing_content() -> None:
    data = data_of("newsml_g2", "packageitem-refs-only.xml")
    assert rejected(data, "newsml_g2").reason == "missing_content"


def test_g2_package_with_inline_items() -> None:
    data = b"""<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="pkg" version="1">
      <groupSet root="G1"><group id="G1"><itemRef residref="a">
        <newsItem guid="a" version="1"><contentMeta><headline>One</headline></contentMeta>
          <contentSet><inlineData>First story.</inlineData></contentSet></newsItem></itemRef>
      <itemRef residref="b"><newsItem guid="b" version="1"><contentMeta><headline>Two</headline></contentMeta>
          <contentSet><inlineData>Second story.</inlineData></contentSet></newsItem></itemRef></group></groupSet>
    </packageItem>"""
    items = parse_bytes(data, "newsml_g2")
    assert [(item.headline, item.paragraphs) for item in items] == [
        ("One", ["First story."]),
        ("Two", ["Second story."]),
    ]


def test_g2_unbound_prefix_is_recovered() -> None:
    [item] = parse("newsml_g2", "recover-unbound-prefix.xml")
    assert item.headline == "Kite festival returns to the dunes"
    assert len(item.paragraphs) == 2
    assert item.recoveries == ["an unbound namespace prefix was read as part of the element name"]


def test_g2_message_with_a_package_of_references_gives_the_package() -> None:
    [item] = parse("newsml_g2", "newsmessage-package-refs.xml")
    assert item.headline == "Spring tides close the causeway twice this week"
    assert item.paragraphs == []
    assert (item.kind, item.version) == ("update", 7)  # edStat:U
    assert item.firstcreated == datetime(2026, 3, 5, 21, 5, tzinfo=UTC)
    assert item.dateline is not None and item.dateline.place == "Editing desk"  # the timestamp is no place


def test_g2_advisory_genre_and_xhtml_header() -> None:
    [item] = parse("newsml_g2", "advisory-xhtml-header.xml")
    assert item.kind == "advisory"
    assert item.paragraphs == ["(Dieser Hinweis ist nicht zur Veröffentlichung bestimmt)"]  # header left out
    assert item.agency == "Acme Presse-Agentur GmbH"


def test_g2_ednote_update_relayed_agency_and_written_byline() -> None:
    [item] = parse("newsml_g2", "update-ednote-relayed.xml")
    assert item.headline == "UPDATE 1-Island ferry adds a late crossing on Fridays"  # prefix kept as written
    assert item.kind == "update"
    assert (item.agency, item.distributor) == ("AFP", "Acme Wire")
    assert item.byline == "By Ann Lee"
    assert item.dateline is not None and item.dateline.place == "HALIFAX"
    assert item.paragraphs[0].startswith("The island ferry will add")  # HTML in a text/plain CDATA


def test_g2_fragment_is_read_and_marked_malformed() -> None:
    [item] = parse("newsml_g2", "fragment-contentmeta.xml")
    assert item.headline is None and item.paragraphs == []
    assert item.dateline is not None and item.dateline.place == "TALLINN"
    assert item.firstcreated == datetime(2026, 2, 10, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    assert item.language == "en-GB"
    assert any("fragment" in note and "malformed" in note for note in item.recoveries)


@pytest.mark.parametrize(
    ("signal", "note", "kind"),
    [
        ("sig:update", "", "update"),
        ("edStat:U", "", "update"),
        ("tt_sig:replace", "", "update"),
        ("http://cv.iptc.org/newscodes/signal/correction", "", "correction"),
        ("sig:repeat", "", "story"),
        ("sig:routing", "Eds: Adds a quote from the mayor.", "update"),
        ("sig:routing", "Corrects the spelling of the harbour master's name.", "correction"),
        ("sig:routing", "Note to editors: embargoed until noon.", "story"),
    ],
)
def test_g2_kind_from_signals_and_notes(signal: str, note: str, kind: str) -> None:
    attribute = "uri" if signal.startswith("http") else "qcode"
    data = f"""<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="k" version="3"><itemMeta>
      <signal {attribute}="{signal}"/><edNote>{note}</edNote></itemMeta>
      <contentMeta><headline>Kind test</headline></contentMeta>
      <contentSet><inlineData>Text.</inlineData></contentSet></newsItem>""".encode()
    [item] = parse_bytes(data, "newsml_g2")
    assert item.kind == kind


# ---------------------------------------------------------------------------- NewsML 1.2


def test_newsml1_two_items() -> None:
    bridge, garden = parse("newsml1", "two-items.xml")
    assert bridge.headline == "New cycle bridge cuts the commute across the harbour"
    assert bridge.subheadline == "Six thousand crossings on the first day"
    assert bridge.byline == "By Lars Eriksen"
    assert bridge.slugline == "DENMARK-BRIDGE"
    assert bridge.paragraphs[0].startswith("A 180-metre cycle and footbridge")  # inline NITF, dateline stripped
    assert bridge.dateline is not None
    assert (bridge.dateline.place, bridge.dateline.agency, bridge.dateline.date) == (
        "COPENHAGEN",
        "Acme",
        date(2025, 8, 20),
    )
    assert (bridge.kind, bridge.version, bridge.urgency, bridge.language) == ("story", 1, 4, "en")
    assert bridge.agency == "Acme Wire"
    assert bridge.agency_id == "urn:newsml:acmewire.example:20250820:BRIDGE-0193"
    assert bridge.firstcreated == datetime(2025, 8, 20, 5, 0, tzinfo=UTC)
    assert bridge.subjects == [SubjectCode("subj", "04000000"), SubjectCode("subj", "04015000")]
    assert bridge.keywords == ["bridge", "cycling"]
    assert bridge.genres == ["Current"]

    assert garden.headline == "Un colegio convierte su patio en un huerto escolar"
    assert garden.language == "es"
    assert garden.dateline is not None and garden.dateline.place == "Sevilla"
    assert garden.paragraphs[0].startswith("Un colegio público ha convertido")
    assert garden.embargoed == datetime(2025, 8, 20, 10, 0, tzinfo=UTC)
    assert (garden.pubstatus, garden.urgency) == ("usable", 6)


def test_newsml1_update_revision() -> None:
    [item] = parse("newsml1", "update-revision2.xml")
    assert (item.kind, item.version, item.urgency) == ("update", 2, 3)
    assert item.agency_id == "urn:newsml:acmewire.example:20250820:BRIDGE-0193"
    assert item.versioncreated == datetime(2025, 8, 20, 10, 10, tzinfo=UTC)
    assert item.firstcreated == datetime(2025, 8, 20, 5, 0, tzinfo=UTC)
    assert item.paragraphs == [
        "A 180-metre cycle and footbridge across the inner harbour recorded about 9,000 crossings on its first day, "
        "the city said on Wednesday evening, raising an earlier count.",
        "The bridge links two districts that were a 15-minute ride apart.",
    ]


def test_newsml1_truncated_dump_is_recovered() -> None:
    [item] = parse("newsml1", "recover-truncated.xml")
    assert item.headline == "Lake swimming area reopens after water tests"
    assert item.paragraphs[-1] == "Lifeguards will be on duty until the end of September."
    assert item.recoveries == ["elements left open at the end of the document (truncated feed) were closed"]


def test_newsml1_canceled_is_a_kill() -> None:
    data = b"""<NewsML><NewsItem><NewsManagement><Status FormalName="Canceled"/></NewsManagement>
      <NewsComponent><NewsLines><HeadLine>Gone</HeadLine></NewsLines></NewsComponent></NewsItem></NewsML>"""
    [item] = parse_bytes(data, "newsml1")
    assert (item.kind, item.pubstatus) == ("kill", "canceled")


def test_newsml1_internal_subset_relayed_copy_and_advisory_line() -> None:
    [item] = parse("newsml1", "internal-subset-relayed-update.xml")
    assert item.headline == "Le marché aux poissons rouvre après trois mois de travaux"  # ISO-8859-15
    assert "annonce le Bureau des quais." in item.paragraphs[0]  # internal entity expanded
    assert item.kind == "update"  # AdvisoryLine "UPDATES ..."
    assert (item.agency, item.distributor) == ("AFP", "Acme Wire")
    assert item.dateline is not None and item.dateline.place == "Sète"


def test_newsml1_press_release_components() -> None:
    [item] = parse("newsml1", "press-release-components.xml")
    # The wire that sent it is the agency, not the issuer named as Source.
    assert (item.agency, item.distributor) == ("Acme Release Wire", None)
    # The Body component, never the style sheet or the headline component; no CSS from <style>.
    assert item.paragraphs[0].startswith("Lantern Tools today opened a workshop")
    assert not any("margin" in paragraph for paragraph in item.paragraphs)
    assert "It’s open on Saturdays." in item.paragraphs[1]  # doubly encoded UTF-8 repaired
    assert any("doubly encoded" in note for note in item.recoveries)
    assert item.dateline is not None and item.dateline.place == "BRISTOL, England"


def test_newsml1_replacement_notice_before_the_dateline() -> None:
    [item] = parse("newsml1", "notice-before-dateline.xml")
    assert item.headline == "Veerpont vaart weer na storing (2)"  # as written
    assert item.kind == "update"  # the notice says it replaces an earlier item
    assert item.ednote == "Nieuw bericht, vervangt: Veerpont ligt stil door storing"
    assert item.dateline is not None and (item.dateline.place, item.dateline.agency) == ("DORDRECHT", "Acme")
    assert item.paragraphs[0].startswith("De veerpont over de rivier")


def test_newsml1_location_city_when_no_dateline_names_a_place() -> None:
    data = b"""<NewsML><NewsItem><NewsComponent><NewsLines><HeadLine>Ice on the canal</HeadLine>
      <DateLine>March 2</DateLine></NewsLines><DescriptiveMetadata><Location HowPresent="Origin">
      <Property FormalName="City" Value="LEIDEN"/></Location></DescriptiveMetadata>
      <ContentItem><DataContent>Skaters were out before dawn.</DataContent></ContentItem>
      </NewsComponent></NewsItem></NewsML>"""
    [item] = parse_bytes(data, "newsml1")
    assert item.dateline is not None and item.dateline.place == "LEIDEN"


def test_slashed_agency_dateline_is_split() -> None:
    data = b"""<nitf><body><body.head><hedline><hl1>Port reopens</hl1></hedline></body.head><body.content>
      <p>MURMANSK, January 9. /TASS/. The port reopened after the storm.</p></body.content></body></nitf>"""
    [item] = parse_bytes(data)
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency, item.dateline.date_text) == ("MURMANSK", "TASS", "January 9")
    assert item.paragraphs == ["The port reopened after the storm."]
    # Between slashes must stand an agency: a path in running text is no dateline.
    [plain] = parse_bytes(data.replace(b"MURMANSK, January 9. /TASS/.", b"The /etc/"))
    assert plain.dateline is None


def test_newsml1_date_only_dateline_is_no_place() -> None:
    data = b"""<NewsML><NewsItem><NewsComponent><NewsLines><HeadLine>Jobs data</HeadLine>
      <DateLine>4/3/2026</DateLine></NewsLines><ContentItem><DataContent>Hiring rose in March.</DataContent>
      </ContentItem></NewsComponent></NewsItem></NewsML>"""
    [item] = parse_bytes(data, "newsml1")
    assert item.dateline is None or item.dateline.place is None


# ---------------------------------------------------------------------------- attacks and bounds

ATTACKS = [
    (family, name)
    for family in ("nitf", "newsml_g2", "newsml1")
    for name in ("attack-billion-laughs.xml", "attack-xxe-file.xml", "attack-xxe-http.xml")
]


@pytest.mark.parametrize(("family", "name"), ATTACKS)
def test_attack_fixtures_are_forbidden_quickly(family: str, name: str) -> None:
    data = data_of(family, name)
    started = time.perf_counter()
    with pytest.raises(WireError) as caught:
        parse(family, name)
    assert caught.value.reason == "forbidden_xml"
    assert time.perf_counter() - started < 2
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=data))
    assert isinstance(outcome, Rejected)
    assert outcome.rejection.reason == "forbidden_xml"
    assert not any(marker in outcome.rejection.detail for marker in PASSWD_MARKERS)


def _timed_rejection(data: bytes, parser_name: str = "nitf") -> WireError:
    started = time.perf_counter()
    error = rejected(data, parser_name)
    assert time.perf_counter() - started < 2
    return error


def test_quadratic_blowup_is_forbidden() -> None:
    big = "x" * 50_000
    data = (f'<!DOCTYPE nitf [<!ENTITY a "{big}">]><nitf><body><body.content><p>' + "&a;" * 50_000).encode()
    data += b"</p></body.content></body></nitf>"
    assert _timed_rejection(data).reason == "forbidden_xml"


def test_parameter_entity_is_forbidden() -> None:
    data = b'<!DOCTYPE NewsML [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><NewsML/>'
    assert _timed_rejection(data, "newsml1").reason == "forbidden_xml"


def test_deep_nesting_is_forbidden() -> None:
    depth = 5_000
    data = b"<nitf>" + b"<block>" * depth + b"x" + b"</block>" * depth + b"</nitf>"
    assert _timed_rejection(data).reason == "forbidden_xml"


def test_many_attributes_are_forbidden() -> None:
    attributes = " ".join(f'a{i}="1"' for i in range(100_001))
    data = f"<nitf><body {attributes}/></nitf>".encode()
    assert _timed_rejection(data).reason == "forbidden_xml"


def test_many_elements_are_forbidden() -> None:
    data = b"<nitf><body><body.content>" + b"<p/>" * (MAX_ELEMENTS + 10) + b"</body.content></body></nitf>"
    assert _timed_rejection(data).reason == "forbidden_xml"


def test_external_dtd_is_never_read(tmp_path: Path) -> None:
    """A DOCTYPE naming a DTD on disk is allowed, but the DTD is not loaded and its entities stay unexpanded."""
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "TOPSECRET-FROM-DISK">')
    for system_id in (dtd.as_uri(), "file:///etc/passwd", "http://127.0.0.1:9/nitf.dtd"):
        data = (
            f'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "{system_id}">'
            "<nitf><body><body.head><hedline><hl1>Head</hl1></hedline></body.head>"
            "<body.content><p>before &secret; after</p></body.content></body></nitf>"
        ).encode()
        [item] = parse_bytes(data)
        text = " ".join([item.headline or "", *item.paragraphs])
        assert "TOPSECRET" not in text
        assert not any(marker in text for marker in PASSWD_MARKERS)
        assert item.paragraphs == ["before after"]


def test_malformed_xml_is_rejected() -> None:
    assert rejected(b"<nitf><body><p a=>x</p></body></nitf>").reason == "malformed"
    assert rejected(b"<nitf>  <<<>>> </nitf>").reason == "malformed"


# ---------------------------------------------------------------------------- encodings, times, helpers


def test_declared_utf8_but_latin1_bytes() -> None:
    data = '<?xml version="1.0" encoding="UTF-8"?><nitf><body><body.content><p>Málaga</p></body.content></body></nitf>'
    [item] = parse_bytes(data.encode("latin-1"))
    assert item.paragraphs == ["Málaga"]
    assert item.recoveries == ["declared UTF-8 but the bytes are not UTF-8: read as Windows-1252"]


def test_utf16_with_bom_and_true_latin1() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><nitf><body><body.content><p>Zürich</p></body.content></body></nitf>'
    [item] = parse_bytes(text.encode("utf-16"))
    assert item.paragraphs == ["Zürich"] and item.recoveries == []
    latin = text.replace("UTF-16", "ISO-8859-1").encode("latin-1")
    [item] = parse_bytes(latin)
    assert item.paragraphs == ["Zürich"] and item.recoveries == []
    assert decode_xml(latin)[1] == "iso8859-1"


def test_clock_parses_extended_and_basic_forms() -> None:
    clock = Clock("Europe/Madrid")
    assert clock.parse("2025-09-03T10:15:00+02:00") == datetime(2025, 9, 3, 8, 15, tzinfo=UTC)
    assert clock.parse("2025-09-03T10:15:00.250Z") == datetime(2025, 9, 3, 10, 15, 0, 250_000, tzinfo=UTC)
    assert clock.parse("20250903T101500-0500") == datetime(2025, 9, 3, 10, 15, tzinfo=timezone(timedelta(hours=-5)))
    assert clock.parse("not a date") is None
    assert clock.assumed_timezone is None
    moment = clock.parse("20250903T101500")
    assert moment is not None and moment.utcoffset() == timedelta(hours=2)
    assert clock.assumed_timezone == "Europe/Madrid"
    assert Clock("Not/AZone").parse("2025-01-01") == datetime(2025, 1, 1, tzinfo=UTC)


def test_dateline_from_text() -> None:
    dateline = dateline_from_text("WASHINGTON, Sept. 3 (Acme) -", date(2025, 9, 3))
    assert dateline is not None and (dateline.place, dateline.agency, dateline.date) == (
        "WASHINGTON",
        "Acme",
        date(2025, 9, 3),
    )
    dateline = dateline_from_text("SAN JOSÉ, Costa Rica", None)
    assert dateline is not None and (dateline.place, dateline.date_text) == ("SAN JOSÉ, Costa Rica", None)


def test_text_folding_skips_comments() -> None:
    root = parse_xml(b"<p>one <!-- hidden --> two<br/>three\n   four <b>five</b></p>").root
    assert text_of(root) == "one two three four five"


# ---------------------------------------------------------------------------- sniffing and the pipeline

EXPECTED = {
    ("nitf", "story-latin1-declared-utf8.xml"): 1,
    ("nitf", "story-doctype-dateline-in-paragraph.xml"): 1,
    ("nitf", "recover-unbound-prefix.xml"): 1,
    ("nitf", "recover-truncated.xml"): 1,
    ("newsml_g2", "newsitem-story.xml"): 1,
    ("newsml_g2", "newsmessage-three-items.xml"): 3,
    ("newsml_g2", "correction.xml"): 1,
    ("newsml_g2", "kill.xml"): 1,
    ("newsml_g2", "recover-unbound-prefix.xml"): 1,
    ("newsml1", "two-items.xml"): 2,
    ("newsml1", "update-revision2.xml"): 1,
    ("newsml1", "recover-truncated.xml"): 1,
    ("newsml1", "internal-subset-relayed-update.xml"): 1,
    ("newsml1", "press-release-components.xml"): 1,
    ("newsml1", "notice-before-dateline.xml"): 1,
    ("newsml_g2", "advisory-xhtml-header.xml"): 1,
    ("newsml_g2", "update-ednote-relayed.xml"): 1,
    ("nitf", "agate-standings.xml"): 1,
    ("nitf", "timestamp-dateline.xml"): 1,
}
# Fixtures that are no story through the pipeline: a package of references alone, a metadata-only fragment,
# and a package that is a story only by its metadata (no body to show).
NOT_BODY_STORIES = {
    ("newsml_g2", "packageitem-refs-only.xml"),
    ("newsml_g2", "fragment-contentmeta.xml"),
    ("newsml_g2", "newsmessage-package-refs.xml"),
}


def test_every_fixture_is_covered() -> None:
    on_disk = {
        (path.parent.name, path.name)
        for family in ("nitf", "newsml_g2", "newsml1")
        for path in (FIXTURES / family).glob("*.xml")
    }
    assert on_disk == set(EXPECTED) | set(ATTACKS) | NOT_BODY_STORIES


@pytest.mark.parametrize(("family", "name"), sorted(EXPECTED))
def test_fixture_through_the_pipeline(family: str, name: str) -> None:
    data = data_of(family, name)
    assert choose_parser(data[:SNIFF_BYTES]).name == family
    assert sniff_root(data[:SNIFF_BYTES]) is not None
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=data))
    assert isinstance(outcome, Accepted), outcome
    assert len(outcome.stories) == EXPECTED[(family, name)]
    for story in outcome.stories:
        assert story.newswire.provenance.format == family
        assert story.headlines and story.bodies[0].value
        assert story.versioncreated is not None and story.versioncreated.endswith("Z")


def test_pipeline_story_fields() -> None:
    pipeline = Pipeline(PipelineOptions(enrich_stages=()))
    outcome = pipeline.process(RawMessage(value=data_of("newsml_g2", "kill.xml")))
    assert isinstance(outcome, Accepted)
    [story] = outcome.stories
    assert (story.pubstatus, story.newswire.kind, story.version, story.urgency) == ("canceled", "kill", "4", 1)
    # Revisions of one NewsML 1 item share their story uri.
    first = pipeline.process(RawMessage(value=data_of("newsml1", "two-items.xml")))
    update = pipeline.process(RawMessage(value=data_of("newsml1", "update-revision2.xml")))
    assert isinstance(first, Accepted) and isinstance(update, Accepted)
    assert first.stories[0].uri == update.stories[0].uri
    assert (update.stories[0].version, update.stories[0].newswire.kind) == ("2", "update")
    assert update.stories[0].located == "COPENHAGEN"


def test_content_types_pick_the_parser() -> None:
    g2 = data_of("newsml_g2", "newsitem-story.xml")
    assert choose_parser(g2[:SNIFF_BYTES], "application/vnd.iptc.g2.newsitem+xml").name == "newsml_g2"
    nitf = data_of("nitf", "story-latin1-declared-utf8.xml")
    assert choose_parser(nitf[:SNIFF_BYTES], "application/nitf+xml; charset=iso-8859-1").name == "nitf"
    assert choose_parser(nitf[:SNIFF_BYTES], "text/xml").name == "nitf"  # text/xml: sniffed
    # A content-type naming the wrong XML format still reads the document with the right parser.
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(
        RawMessage(value=g2, headers={"content-type": b"application/nitf+xml"})
    )
    assert isinstance(outcome, Accepted)
    assert outcome.stories[0].headlines[0].value == "Rooftop allotments open above a city bus depot"
