"""The identity step over plain dict state: redelivery, versions, kills, near duplicates, clusters, rebuild."""

from __future__ import annotations

from newswire.events.extension import Entity, EntityMention
from newswire.events.ninjs import NinjsStory
from newswire.identity.stage import IdentityStage
from newswire.pipeline import Accepted, Pipeline, PipelineOptions, RawMessage

NOW = 1_756_900_000.0
BODY = (
    "El presidente ruso se reunió hoy con el líder norcoreano en la capital china para hablar de cooperación.\n\n"
    "Ambos dirigentes firmaron varios acuerdos de comercio y defensa, según informaron fuentes oficiales.\n\n"
    "La reunión duró más de dos horas y terminó con una cena en honor de los invitados extranjeros."
)


def story(text: str = BODY, headline: str = "Reunión en Pekín", version_word: str = "") -> NinjsStory:
    wire = f"date 2025-09-03 {version_word}{headline}\n\nPekín, 3 sep (EFE).- {text}\n".encode()
    outcome = Pipeline(PipelineOptions(enrich_stages=())).process(RawMessage(value=wire))
    assert isinstance(outcome, Accepted)
    return outcome.stories[0]


def with_entities(item: NinjsStory, *qids: str) -> NinjsStory:
    entities = [
        Entity(
            type="person",
            name=q,
            uri=f"http://www.wikidata.org/entity/{q}",
            confidence=0.9,
            mentions=[EntityMention(start=0, end=1, text="x")],
        )
        for q in qids
    ]
    return item.model_copy(update={"newswire": item.newswire.model_copy(update={"entities": entities})})


def test_redelivery_is_suppressed_and_state_survives_in_the_mappings() -> None:
    states: dict[bytes, bytes] = {}
    members: dict[bytes, bytes] = {}
    stage = IdentityStage(states, members)
    first = stage.process(story(), NOW)
    assert first.story is not None and first.story.version == "1"
    assert first.story.newswire.identity.cluster
    again = stage.process(story(), NOW + 5)
    assert again.story is None and again.duplicate_kind == "exact"
    # A new worker with the same (changelog-backed) state still knows the story.
    restarted = IdentityStage(states, members)
    assert restarted.rebuild(NOW + 10) == 1
    assert restarted.process(story(), NOW + 10).duplicate_kind == "exact"


def test_a_changed_text_is_the_next_version_and_supersedes_the_first() -> None:
    stage = IdentityStage({}, {})
    first = stage.process(story(), NOW)
    second = stage.process(
        story(BODY + "\n\nEl Kremlin no dio más detalles sobre el contenido de los acuerdos."), NOW + 60
    )
    assert first.story is not None and second.story is not None
    assert second.story.uri == first.story.uri
    assert second.story.version == "2"
    assert second.story.newswire.identity.supersedes == f"{first.story.uri}@1"


def test_a_resend_under_a_new_uri_from_the_same_source_is_flagged_near_duplicate() -> None:
    stage = IdentityStage({}, {})
    first = stage.process(story(), NOW)
    typo = stage.process(
        story(BODY.replace("comercio", "comercío"), headline="Reunión en Pekín (repetición)"), NOW + 30
    )
    assert first.story is not None and typo.story is not None
    assert typo.story.uri != first.story.uri
    assert typo.story.newswire.identity.duplicate_of == f"{first.story.uri}@1"


def test_stories_sharing_linked_people_on_the_same_day_share_a_cluster() -> None:
    stage = IdentityStage({}, {})
    spanish = stage.process(with_entities(story(), "Q7747", "Q56226"), NOW)
    other_text = "Two leaders met in the Chinese capital and signed trade and defence agreements, officials said."
    english = stage.process(
        with_entities(story(other_text, headline="Leaders meet in Beijing"), "Q7747", "Q56226"), NOW + 120
    )
    assert spanish.story is not None and english.story is not None
    assert english.story.newswire.identity.cluster == spanish.story.newswire.identity.cluster
    assert english.story.newswire.identity.duplicate_of is None


def test_expire_drops_state_older_than_the_window() -> None:
    states: dict[bytes, bytes] = {}
    stage = IdentityStage(states, {})
    stage.process(story(), NOW)
    assert stage.expire(NOW + 10) == 0 and len(states) == 1
    assert stage.expire(NOW + 73 * 3600) == 1 and not states


def test_expiry_goes_by_when_a_story_was_last_seen_not_first_seen() -> None:
    states: dict[bytes, bytes] = {}
    stage = IdentityStage(states, {})
    first = stage.process(story(), NOW).story
    other = stage.process(story("Otro texto distinto sobre la economía regional.", headline="Otra"), NOW + 3600).story
    stage.process(story(), NOW + 2 * 3600)  # the first one again: a counted duplicate that touches its state
    assert first is not None and other is not None
    assert stage.expire(NOW + 73.5 * 3600) == 1
    assert list(states) == [first.uri.encode()]


def test_expiry_after_a_rebuild_finds_the_states_another_worker_stored() -> None:
    states: dict[bytes, bytes] = {}
    members: dict[bytes, bytes] = {}
    IdentityStage(states, members).process(story(), NOW)
    successor = IdentityStage(states, members)  # took the partition over: the tables came from the changelog
    successor.rebuild(NOW + 60)
    assert successor.expire(NOW + 60) == 0 and len(states) == 1
    assert successor.expire(NOW + 73 * 3600) == 1 and not states and not members


def test_a_hand_off_read_again_after_a_crash_is_published_again_not_suppressed() -> None:
    """The state was stored but the worker died before the story was acknowledged: the uncommitted
    hand-off comes back and must be published again with the same version (at-least-once)."""
    states: dict[bytes, bytes] = {}
    stage = IdentityStage(states, {})
    first = stage.process(story(), NOW, handoff=(0, 41))
    update = stage.process(story(BODY + "\n\nEl Kremlin no dio más detalles."), NOW + 1, handoff=(0, 42))
    assert first.story is not None and update.story is not None and update.story.version == "2"
    survivor = IdentityStage(states, {})  # recovered from the changelog
    replayed = [
        survivor.process(story(), NOW + 30, handoff=(0, 41)),
        survivor.process(story(BODY + "\n\nEl Kremlin no dio más detalles."), NOW + 31, handoff=(0, 42)),
    ]
    assert [outcome.story.version if outcome.story else None for outcome in replayed] == ["1", "2"]
    assert replayed[1].story is not None
    assert replayed[1].story.newswire.identity.supersedes == update.story.newswire.identity.supersedes
    # A genuine redelivery is a new hand-off (a later offset): suppressed as before.
    assert survivor.process(story(), NOW + 40, handoff=(0, 43)).duplicate_kind == "exact"


def test_a_suppressed_hand_off_read_again_stays_suppressed() -> None:
    stage = IdentityStage({}, {})
    stage.process(story(), NOW, handoff=(0, 1))
    assert stage.process(story(), NOW + 1, handoff=(0, 2)).duplicate_kind == "exact"
    assert stage.process(story(), NOW + 2, handoff=(0, 2)).duplicate_kind == "exact"
