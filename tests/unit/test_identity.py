"""Story identity core: exact duplicates, versions, stale, kills, near duplicates, clusters, bounds."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from typing import Any

import pytest

from newswire.events.extension import DatelineInfo, Entity, Identity, LanguageInfo, NewswireExtension, Provenance
from newswire.events.ninjs import AltId, Body, Headline, InfoSource, NinjsStory
from newswire.identity import (
    ClusterIndex,
    NearDuplicateIndex,
    StoryState,
    apply_decision,
    decide,
    hamming,
    simhash64,
    story_signature,
)
from newswire.identity.fingerprints import Signature, entity_id, simhash64_reference
from newswire.identity.state import ClusterMember

NOW = 1_757_000_000.0
HOUR = 3600.0
WINDOW = 72 * HOUR

BODY = (
    "BEIJING, Sept 3 - Russian President Vladimir Putin and North Korean leader Kim Jong Un held talks in "
    "Beijing on Wednesday after attending a military parade marking the end of World War Two, the Kremlin said.\n\n"
    "Putin thanked Kim for the participation of North Korean soldiers in the fighting in Russia's Kursk region "
    "and invited him to visit Moscow, according to a Kremlin readout of the meeting.\n\n"
    "Kim said it was his fraternal duty to help Russia and that relations between the two countries were "
    "developing in all areas. The talks lasted about two and a half hours.\n\n"
    "It was the first meeting between the two leaders since Putin visited Pyongyang in June last year, when "
    "they signed a mutual defence treaty."
)
OTHER = (
    "LIMA, Sept 9 - A magnitude 5.9 earthquake rattled southern Peru on Tuesday, damaging two colonial churches "
    "in the Arequipa region and injuring at least 12 people, civil defence officials said.\n\n"
    "The tremor struck at 03:10 local time near the town of Chivay in the Colca valley, at a depth of 18 "
    "kilometres, according to the Geophysical Institute of Peru.\n\n"
    "Images on local television showed fallen adobe walls and a collapsed bell tower."
)


def story(
    uri: str = "urn:newswire:reuters:abc123",
    *,
    body: str = BODY,
    headline: str = "Putin and Kim hold talks in Beijing",
    version: int = 1,
    kind: str = "story",
    pubstatus: str = "usable",
    source: str = "Reuters",
    lang: str = "en",
    day: str | None = "2025-09-03",
    time: str | None = "2025-09-03T10:00:00Z",
    entities: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
) -> NinjsStory:
    """A minimal enriched NinjsStory; the content hash folds case and spacing like the pipeline's."""
    seen = " ".join(f"{headline}\n{body}".lower().split())
    return NinjsStory(
        uri=uri,
        version=str(version),
        language=lang,
        pubstatus=pubstatus,  # type: ignore[arg-type]
        headlines=[Headline(value=headline, role="main", contenttype="text/plain")],
        bodies=[Body(value=body, role="main", contenttype="text/plain")],
        firstcreated=time,
        versioncreated=time,
        infosources=[InfoSource(name=source)],
        altids=[AltId(role="agency", value=uri.rsplit(":", 1)[-1])],
        newswire=NewswireExtension(
            kind=kind,  # type: ignore[arg-type]
            language=LanguageInfo(code=lang, confidence=1.0),
            dateline=DatelineInfo(text="", date=day) if day else None,
            entities=[Entity(type=t, name=n, uri=u, confidence=1.0) for t, n, u in entities],  # type: ignore[arg-type]
            identity=Identity(content_hash="sha256:" + hashlib.sha256(seen.encode()).hexdigest()),
            provenance=Provenance(
                format="test", parser="test", received_at="2025-09-03T10:00:00Z", pipeline_version="0"
            ),
        ),
    )


def sig(**kw: Any) -> Signature:
    return story_signature(story(**kw))


# --- fingerprints ---------------------------------------------------------------------------


def test_simhash_equals_textbook_definition() -> None:
    rnd = random.Random(1)
    words = [f"w{i}" for i in range(300)]
    for n in (0, 1, 2, 3, 4, 9, 64, 65, 500, 4100):
        text = " ".join(rnd.choice(words) for _ in range(n))
        assert simhash64(text) == simhash64_reference(text)


def test_simhash_folds_case_and_punctuation() -> None:
    assert simhash64("Putin, and KIM   hold talks.") == simhash64("putin and kim hold talks")
    assert hamming(simhash64(BODY), simhash64(OTHER)) > 20


def test_entity_ids_normalise() -> None:
    assert entity_id("http://www.wikidata.org/entity/Q7747") == "wd:Q7747"
    assert entity_id("Q7747") == "wd:Q7747"
    assert entity_id("https://sws.geonames.org/1816670/") == "gn:1816670"
    assert entity_id(None) is None


def test_signature_fields() -> None:
    s = sig(entities=[("person", "Putin", "Q7747"), ("place", "Beijing", "https://sws.geonames.org/1816670/")])
    assert s.source == "Reuters" and s.version == 1 and s.language == "en"
    assert s.person_ids == {"wd:Q7747"} and s.place_ids == {"gn:1816670"}
    assert s.event_day is not None and s.time == pytest.approx(1756893600.0)
    assert "putin" in s.headline_tokens


# --- decide: exact, versions, stale, kill -----------------------------------------------------


def test_first_sight_publishes_then_exact_redelivery_is_suppressed() -> None:
    first = decide(sig(), None, NOW, WINDOW, 12)
    assert first.publish and first.outcome == "new" and first.version == 1 and first.supersedes is None
    again = decide(sig(), first.state, NOW + HOUR, WINDOW, 12)
    assert not again.publish and again.duplicate_kind == "exact"
    # same text, case and spacing differences only: same content hash -> exact
    again2 = decide(sig(body=BODY.upper()), first.state, NOW + 2 * HOUR, WINDOW, 12)
    assert again2.duplicate_kind == "exact"


def test_exact_duplicate_window_expires() -> None:
    first = decide(sig(), None, NOW, WINDOW, 12)
    later = decide(sig(), first.state, NOW + WINDOW + 1, WINDOW, 12)
    assert later.outcome != "exact"  # outside the window the hash is forgotten
    assert later.state.hashes and all(NOW + WINDOW + 1 - t <= WINDOW for t in later.state.hashes.values())


def test_version_chain_with_supersedes() -> None:
    uri = "urn:newswire:reuters:abc123"
    d1 = decide(sig(version=1), None, NOW, WINDOW, 12)
    d2 = decide(sig(version=2, kind="update", body=BODY + "\n\nNew lead paragraph."), d1.state, NOW + 60, WINDOW, 12)
    assert d2.publish and d2.outcome == "version" and d2.version == 2 and d2.supersedes == f"{uri}@1"
    d3 = decide(sig(version=3, kind="correction", body=OTHER), d2.state, NOW + 120, WINDOW, 12)
    assert d3.publish and d3.version == 3 and d3.supersedes == f"{uri}@2" and d3.story_kind == "correction"
    published = apply_decision(story(version=3, kind="correction", body=OTHER), d3, sig(version=3, body=OTHER))
    assert published.uri == uri and published.version == "3"
    assert published.newswire.identity.supersedes == f"{uri}@2" and published.newswire.identity.simhash


def test_unversioned_agency_update_bumps_version() -> None:
    d1 = decide(sig(time="2025-09-03T10:00:00Z"), None, NOW, WINDOW, 12)
    d2 = decide(sig(time="2025-09-03T11:00:00Z", body=OTHER), d1.state, NOW + 60, WINDOW, 12)
    assert d2.publish and d2.outcome == "version" and d2.version == 2


def test_out_of_order_older_version_is_stale() -> None:
    d3 = decide(sig(version=3, body=OTHER), None, NOW, WINDOW, 12)
    d2 = decide(sig(version=2, body=BODY + "\n\nwritethru"), d3.state, NOW + 60, WINDOW, 12)
    assert not d2.publish and d2.duplicate_kind == "stale"
    assert d2.state.version == 3 and d2.state.simhash == d3.state.simhash  # never replaces
    # unversioned: same agency version, older versioncreated
    a = decide(sig(time="2025-09-03T12:00:00Z", body=OTHER), None, NOW, WINDOW, 12)
    b = decide(sig(time="2025-09-03T09:00:00Z"), a.state, NOW + 60, WINDOW, 12)
    assert b.duplicate_kind == "stale"


def test_kill_cancels_same_uri_with_next_version() -> None:
    d1 = decide(sig(), None, NOW, WINDOW, 12)
    kill = decide(sig(kind="kill", pubstatus="canceled", body="KILL. Please delete the story."), d1.state, NOW + 60)
    assert kill.publish and kill.outcome == "kill" and kill.pubstatus == "canceled"
    assert kill.version == 2 and kill.supersedes == "urn:newswire:reuters:abc123@1"
    out = apply_decision(story(kind="kill"), kill, sig())
    assert out.pubstatus == "canceled" and out.uri == "urn:newswire:reuters:abc123"
    # the original redelivered after the kill does not come back; a repeated kill is a duplicate
    assert decide(sig(), kill.state, NOW + 120).duplicate_kind == "exact"
    assert decide(sig(body=BODY + " x"), kill.state, NOW + 120).duplicate_kind == "stale"
    assert decide(sig(kind="kill", body="KILL again"), kill.state, NOW + 180).duplicate_kind == "exact"


# --- near duplicates --------------------------------------------------------------------------

TYPO = BODY.replace("fraternal", "fratrenal")
TRIMMED = BODY.rsplit("\n\n", 1)[0]


@pytest.mark.parametrize("variant", [TYPO, TRIMMED], ids=["typo", "trimmed"])
def test_same_uri_resend_is_flagged_near_duplicate(variant: str) -> None:
    first = decide(sig(body=variant), None, NOW)
    resend = decide(sig(body=BODY), first.state, NOW + 60)
    assert resend.publish and resend.outcome == "near" and resend.duplicate_of == "urn:newswire:reuters:abc123@1"
    dropped = decide(sig(body=BODY), first.state, NOW + 60, drop_near_duplicates=True)
    assert not dropped.publish and dropped.duplicate_kind == "near"


def test_near_duplicate_index_across_uris() -> None:
    index = NearDuplicateIndex(max_distance=12, window_s=WINDOW)
    a = sig(uri="urn:newswire:reuters:one", body=TYPO)
    index.add(a.uri, a.source, a.simhash, NOW)
    for body in (BODY, TRIMMED):
        b = sig(uri="urn:newswire:reuters:two", body=body)
        match = index.query(b.source, b.simhash, NOW + 60, exclude_uri=b.uri)
        assert match is not None and match.entry.ref == "urn:newswire:reuters:one@1"
    other = sig(uri="urn:newswire:reuters:three", body=OTHER)
    assert index.query(other.source, other.simhash, NOW + 60) is None  # a different story
    elsewhere = sig(uri="urn:newswire:afp:four", body=BODY, source="AFP")
    assert index.query(elsewhere.source, elsewhere.simhash, NOW + 60) is None  # another source
    restored = NearDuplicateIndex.from_json(index.to_json())
    b = sig(uri="urn:newswire:reuters:two", body=BODY)
    again = restored.query(b.source, b.simhash, NOW + 60)
    assert len(restored) == 1 and again is not None and again.entry.ref == "urn:newswire:reuters:one@1"
    assert restored.query(b.source, b.simhash, NOW + WINDOW + 1) is None  # past the window


# --- clusters ---------------------------------------------------------------------------------

PUTIN, KIM, MODI = ("person", "Putin", "Q7747"), ("person", "Kim Jong-un", "Q56226"), ("person", "Modi", "Q1058")
BEIJING = ("place", "Beijing", "https://sws.geonames.org/1816670/")
DELHI = ("place", "New Delhi", "https://sws.geonames.org/1261481/")
RUSSIA = ("place", "Russia", "Q159")

EFE_ES = dict(
    uri="urn:newswire:efe:putin-kim",
    source="EFE",
    lang="es",
    headline="Putin y Kim se reúnen en Pekín",
    body="Pekín, 3 sep (EFE).- El presidente ruso, Vladimir Putin, y el líder norcoreano, Kim Jong-un, se reunieron.",
    entities=[PUTIN, KIM, BEIJING, RUSSIA],
    time="2025-09-03T09:40:00Z",
)
REUTERS_EN = dict(uri="urn:newswire:reuters:putin-kim", entities=[PUTIN, KIM, BEIJING, ("place", "N. Korea", "Q423")])
MODI_WEEK_LATER = dict(
    uri="urn:newswire:reuters:putin-modi",
    headline="Putin and Modi discuss trade in New Delhi",
    body=OTHER,
    day="2025-09-10",
    time="2025-09-10T11:00:00Z",
    entities=[PUTIN, MODI, DELHI, RUSSIA],
)


def test_cross_language_same_event_shares_cluster() -> None:
    index = ClusterIndex(window_s=WINDOW)
    a = index.assign(sig(**EFE_ES), NOW)
    b = index.assign(sig(**REUTERS_EN), NOW + 60)
    assert a.new and not b.new and a.cluster == b.cluster and b.matched == EFE_ES["uri"]
    assert a.cluster.startswith("cl:")
    # a new version keeps its cluster
    assert index.assign(sig(**{**REUTERS_EN, "version": 2}), NOW + 120).cluster == a.cluster


def test_different_meetings_a_week_apart_do_not_cluster() -> None:
    index = ClusterIndex(window_s=30 * 24 * HOUR)
    a = index.assign(sig(**EFE_ES), NOW)
    b = index.assign(sig(**MODI_WEEK_LATER), NOW + 7 * 24 * HOUR)
    assert a.cluster != b.cluster and b.new


def test_same_entities_same_day_different_event_does_not_cluster() -> None:
    index = ClusterIndex(window_s=WINDOW)
    xi = ("person", "Xi Jinping", "Q15031")
    a = index.assign(sig(**REUTERS_EN), NOW)
    b = index.assign(
        sig(uri="urn:newswire:xinhua:xi-putin", source="Xinhua", lang="zh", headline="习近平同普京举行会谈",
            body="新华社北京9月2日电 国家主席习近平同俄罗斯总统普京举行会谈。", day="2025-09-02",
            time="2025-09-02T08:30:00Z", entities=[xi, PUTIN, BEIJING, RUSSIA]),
        NOW + 60,
    )  # fmt: skip
    assert a.cluster != b.cluster


def test_cluster_ids_are_stable_across_replays() -> None:
    runs = []
    for _ in range(2):
        index = ClusterIndex()
        runs.append([index.assign(sig(**kw), NOW + i).cluster for i, kw in enumerate((EFE_ES, REUTERS_EN))])
    assert runs[0] == runs[1]


# --- bounds and serialisation -----------------------------------------------------------------


def test_window_expiry_bounds_state() -> None:
    near = NearDuplicateIndex(window_s=WINDOW, max_items=1000)
    clusters = ClusterIndex(window_s=WINDOW, max_members=1000)
    rnd = random.Random(2)
    for i in range(50):
        s = sig(uri=f"urn:newswire:reuters:s{i}", entities=[PUTIN, KIM, BEIJING])
        near.add(s.uri, s.source, rnd.getrandbits(64), NOW + i * HOUR)
        clusters.assign(s, NOW + i * HOUR)
    assert len(near) == 50 and len(clusters) == 50
    near.expire(NOW + 49 * HOUR + WINDOW + 1)
    clusters.expire(NOW + 49 * HOUR + WINDOW + 1)
    assert len(near) == 0 and len(clusters) == 0
    small = NearDuplicateIndex(max_items=10)
    small_clusters = ClusterIndex(max_members=10)
    for i in range(30):
        small.add(f"u{i}", "s", rnd.getrandbits(64), NOW)
        small_clusters.assign(sig(uri=f"urn:newswire:reuters:b{i}", entities=[PUTIN, KIM]), NOW)
    assert len(small) == 10 and "u29" in small and "u0" not in small
    assert len(small_clusters) == 10
    # per-uri state: hashes pruned to the window, expiry tells the table when to drop the uri
    state = decide(sig(), None, NOW).state
    assert state.is_expired(NOW + WINDOW + 1, WINDOW) and not state.is_expired(NOW + 1, WINDOW)
    assert state.prune(NOW + WINDOW + 1, WINDOW).hashes == {}


def test_state_round_trips_as_json_bytes() -> None:
    d = decide(sig(version=2, entities=[PUTIN]), None, NOW)
    state = dataclasses.replace(d.state, cluster="cl:0123456789abcdef")
    raw = state.to_json()
    assert isinstance(raw, bytes) and len(raw) < 200
    assert StoryState.from_json(raw) == state
    member = ClusterMember.of(sig(**EFE_ES), "cl:x", NOW)
    assert ClusterMember.from_json(member.to_json()) == member
    index = ClusterIndex()
    index.assign(sig(**EFE_ES), NOW)
    restored = ClusterIndex.from_json(index.to_json())
    assert restored.assign(sig(**REUTERS_EN), NOW + 60).cluster == index.get(EFE_ES["uri"]).cluster  # type: ignore[union-attr]


def test_near_duplicate_query_examines_a_bounded_number_of_look_alikes() -> None:
    from newswire.identity import near

    index = NearDuplicateIndex(max_distance=12)
    for number in range(near.MAX_EXAMINED * 3):
        index.add(f"urn:look-alike:{number}", "acme", 0x0F0F_0F0F_0F0F_0F0F ^ (1 << (number % 64)), 1000.0 + number)
    match = index.query("acme", 0x0F0F_0F0F_0F0F_0F0F, 5000.0)
    assert match is not None and match.distance <= 1
