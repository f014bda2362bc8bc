"""Event clusters across languages: event classes, the cluster rule (match to the whole cluster), the reason."""

from __future__ import annotations

import dataclasses

import pytest

from newswire.identity import ClusterIndex
from newswire.identity.cluster import Probe, compare, other_kind
from newswire.identity.events import event_classes, families, first_sentence
from newswire.identity.fingerprints import Signature, unlinked_person_id
from newswire.identity.handoff import signature_from_dict, signature_to_dict
from newswire.identity.state import ClusterMember

NOW = 1_780_000_000.0
DAY = 740_000


@pytest.mark.parametrize(
    ("headline", "language", "expected"),
    [
        ("Putin empfängt Kim in Peking", "de", "meeting"),
        ("Poutine et Kim Jong-un se rencontrent à Pékin", "fr", "meeting"),
        ("Putin y Kim se reúnen en Pekín", "es", "meeting"),
        ("North Korea fires ballistic missile into sea", "en", "missile"),
        ("Corea del Norte lanza un misil balístico", "es", "missile"),
        ("Séisme de magnitude 6,9 au large du Japon", "fr", "quake"),
        ("Schweres Seebeben vor Japan", "de", "quake"),
        ("Terremoto di magnitudo 6 in Cile", "it", "quake"),
        ("Incêndio em Leiria mobiliza bombeiros", "pt", "fire"),
        ("Regionalzug bei Mailand entgleist", "de", "accident"),
    ],
)
def test_event_classes_across_languages(headline: str, language: str, expected: str) -> None:
    assert expected in event_classes(headline, "", language)


def test_whole_word_cues_do_not_match_inside_other_words() -> None:
    # `accord=` is no `according`, `final=` no `finally`, `fire=` no `fireworks`
    assert event_classes("According to officials, it finally ended with fireworks", "", "en") == frozenset()


def test_lead_sentence_is_used_when_the_headline_names_no_event() -> None:
    body = "Pekín, 12 jun (EFE).- Un fuerte terremoto sacudió este viernes el norte de Japón. Luego hubo más."
    assert first_sentence(body).startswith("Un fuerte terremoto")
    assert event_classes("Alarma en Japón", body, "es") == frozenset({"quake"})
    # the headline wins over the lead: a missile story that mentions talks in its lead stays a missile story
    lead = "SEOUL (AP) - North Korea fired a missile while Kim was away for talks with Putin."
    assert event_classes("North Korea fires missile", lead, "en") == frozenset({"missile"})


def test_summit_and_missile_test_are_other_kinds_but_two_quakes_are_not() -> None:
    assert not families(frozenset({"meeting"})) & families(frozenset({"missile"}))
    assert families(frozenset({"quake"})) & families(frozenset({"quake"}))


def test_unlinked_people_keep_a_language_independent_id() -> None:
    assert unlinked_person_id("person", "Tadej Pogačar") == unlinked_person_id("person", "Slovène Tadej Pogacar")
    assert unlinked_person_id("person", "Pogacar") is None  # one word is no full name
    assert unlinked_person_id("organisation", "Real Betis") is None


def sig(
    uri: str,
    *,
    persons: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    events: tuple[str, ...] = (),
    language: str = "en",
    source: str = "Reuters",
    day: int = DAY,
) -> Signature:
    return Signature(
        uri=uri,
        source=source,
        agency_id=None,
        version=1,
        kind="story",
        pubstatus="usable",
        content_hash="sha256:" + uri.encode().hex().ljust(64, "0")[:64],
        simhash=hash(uri) & ((1 << 64) - 1),
        language=language,
        entity_ids=frozenset(persons + places),
        person_ids=frozenset(persons),
        org_ids=frozenset(),
        place_ids=frozenset(places),
        countries=frozenset(countries),
        event_day=day,
        time=NOW,
        headline_tokens=frozenset(),
        event_classes=frozenset(events),
    )


PUTIN, KIM, XI, LAVROV = "wd:Q7747", "wd:Q56226", "wd:Q15031", "urn:newswire:kb:person:sergey-lavrov"
BEIJING, JAPAN, AOMORI, CHILE = "gn:1816670", "gn:1861060", "gn:2130658", "gn:3895114"


def test_summit_in_four_languages_clusters_and_the_missile_test_stays_apart() -> None:
    index = ClusterIndex()
    leaders = (PUTIN, KIM, XI, LAVROV)
    summit = []
    for lang in ("es", "en", "de", "fr"):
        story = sig(f"urn:summit:{lang}", persons=leaders, places=(BEIJING,), events=("meeting",), language=lang)
        summit.append(index.assign(dataclasses.replace(story, source=lang), NOW))
    assert len({a.cluster for a in summit}) == 1
    missile = index.assign(
        sig("urn:missile:en", persons=(KIM, PUTIN), places=(BEIJING,), events=("missile",), source="AP"), NOW
    )
    assert missile.new and missile.cluster != summit[0].cluster
    assert missile.reason is not None and missile.reason.rejected == missile.reason.compared == 4


def test_two_earthquakes_in_different_countries_stay_apart_and_one_quake_joins_across_languages() -> None:
    index = ClusterIndex()
    japan = index.assign(sig("urn:q:en", places=(JAPAN, AOMORI), countries=("JP",), events=("quake",)), NOW)
    chile = index.assign(sig("urn:q:cl", places=(CHILE,), countries=("CL",), events=("quake",), language="es"), NOW)
    again = index.assign(
        sig("urn:q:fr", places=(JAPAN, AOMORI), countries=("JP",), events=("quake",), language="fr", source="AFP"),
        NOW,
    )
    assert chile.new and chile.cluster != japan.cluster
    assert not again.new and again.cluster == japan.cluster
    assert again.reason is not None and again.reason.events == ("quake",) and AOMORI in again.reason.shared


def test_a_shared_place_alone_without_a_shared_kind_of_event_is_not_one_event() -> None:
    a = Probe.of_signature(sig("urn:a", places=(JAPAN,), countries=("JP",), events=("quake",)), NOW)
    b = Probe.of_signature(sig("urn:b", places=(JAPAN,), countries=("JP",)), NOW)  # a market report
    assert compare(a, b) is None
    assert other_kind(a, dataclasses.replace(b, events=frozenset({"earnings"})))


def test_no_chain_a_story_like_one_member_only_does_not_join_the_cluster() -> None:
    """A ~ B and B ~ C, but C shares nothing with A: C is judged against the cluster {A, B} as a whole."""
    index = ClusterIndex()
    p1, p2, p3, p4, p5, p6 = (f"wd:Q{n}" for n in range(101, 107))
    a = index.assign(sig("urn:a", persons=(p1, p2, p3), events=("meeting",)), NOW)
    b = index.assign(sig("urn:b", persons=(p1, p2, p3, p4, p5, p6), events=("meeting",), language="es"), NOW)
    assert b.cluster == a.cluster
    c = sig("urn:c", persons=(p4, p5, p6), events=("meeting",), language="fr")
    two = ClusterIndex()
    two.assign(sig("urn:b", persons=(p1, p2, p3, p4, p5, p6), events=("meeting",), language="es"), NOW)
    assert not two.assign(c, NOW).new  # alone with B, C would join B
    joined = index.assign(c, NOW)
    assert joined.new  # against {A, B} its mean match is too low: no chain
    assert joined.reason is not None and joined.reason.compared == 2 and joined.reason.rejected == 1


def test_event_classes_travel_in_the_handoff_header_and_the_stored_member() -> None:
    signature = sig("urn:x", persons=(PUTIN,), events=("meeting", "agreement"))
    assert signature_from_dict(signature_to_dict(signature)).event_classes == signature.event_classes
    old_header = {k: v for k, v in signature_to_dict(signature).items() if k != "ev"}
    assert signature_from_dict(old_header).event_classes == frozenset()  # an older worker's header
    member = ClusterMember.of(signature, "cl:1", NOW)
    assert ClusterMember.from_json(member.to_json()).events == signature.event_classes
