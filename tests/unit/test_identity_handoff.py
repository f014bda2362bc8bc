"""The identity hand-off's fast path: the signature header, and records spliced without parsing the story.

Every story event the identity side splices must equal, byte for byte, the one the parsing path
(validate the hand-off JSON, `IdentityStage.process`, `story_record`) makes; only `ce_time` differs.
"""

from __future__ import annotations

from newswire.config import load_settings
from newswire.events.ninjs import NinjsStory
from newswire.identity import handoff
from newswire.identity.fingerprints import story_signature
from newswire.identity.stage import IdentityStage
from newswire.pipeline import RawMessage
from newswire.stream.envelope import Record
from newswire.stream.service import H_IDENTITY, Ingest, Prepared
from tests.unit.test_identity_stage import story, with_entities

NOW = 1_756_900_000.0
BODY = (
    "El presidente ruso se reunió hoy con el líder norcoreano en la capital china para hablar de cooperación.\n\n"
    "Ambos dirigentes firmaron varios acuerdos de comercio y defensa, según informaron fuentes oficiales.\n\n"
    'La reunión duró más de dos horas y terminó con una cena en honor de los invitados "extranjeros".'
)


LATER = (
    "Los dos dirigentes cerraron la visita con un comunicado conjunto sobre energía y transporte ferroviario.\n\n"
    "El texto prevé nuevas rutas de carga entre ambos países y una comisión mixta que se reunirá cada año."
)


def ingest() -> Ingest:
    worker = Ingest(load_settings(enrich_stages=()))
    worker.identity = IdentityStage({}, {})
    return worker


def forwarded(worker: Ingest, item: NinjsStory, offset: int) -> Record:
    prepared = worker._forward(RawMessage(value=b"x", topic="raw", partition=0, offset=offset), (item,))
    assert isinstance(prepared, Prepared)
    return prepared.records[0]


def without_time(record: Record) -> tuple[bytes | None, bytes, list[tuple[str, bytes]]]:
    return record.key, record.value, [(name, value) for name, value in record.headers if name != "ce_time"]


def test_the_signature_header_round_trips() -> None:
    item = with_entities(story(BODY), "Q7747", "Q56226")
    value = item.model_dump_json(exclude_none=True).encode()
    spans = handoff.locate(item, value)
    assert spans is not None
    carried = handoff.Handoff(story_signature(item), spans, item.language)
    assert handoff.decode(handoff.encode(carried)) == carried
    assert value[slice(*spans.version)] == b'"1"' and value[slice(*spans.pubstatus)] == b'"usable"'
    assert value[slice(*spans.identity)].startswith(b'{"content_hash":"')


def test_an_unexpected_layout_gets_no_spans() -> None:
    item = story(BODY)
    assert handoff.locate(item, b"{}") is None
    assert handoff.locate(item, item.model_dump_json(exclude_none=True, indent=1).encode()) is None


def test_spliced_records_equal_the_parsed_ones() -> None:
    base = story(BODY)
    odd_standard = story("Otro texto sobre otra reunión en otra ciudad con otros dirigentes.", "Otra reunión")
    odd_standard = odd_standard.model_copy(update={"standard": {"type": "text", "version": "9", "name": "x"}})
    arrivals = [
        base,
        base,  # exact redelivery
        story(BODY.replace("comercio", "comercío"), headline="Reunión en Pekín (repetición)"),  # near duplicate
        story(LATER),  # a later version
        base.model_copy(update={"pubstatus": "canceled"}),  # kill
        with_entities(story("Two leaders met in Beijing and signed agreements.", "Leaders meet"), "Q7747", "Q56226"),
        with_entities(
            story("Los dos líderes se reunieron en Pekín y firmaron acuerdos.", "Líderes"), "Q7747", "Q56226"
        ),
        odd_standard,
    ]
    spliced, parsed = ingest(), ingest()
    records = [forwarded(spliced, item, offset) for offset, item in enumerate(arrivals)]
    assert all(dict(record.headers).get(H_IDENTITY) for record in records)
    records.append(records[2])  # the near duplicate's hand-off read again after a crash: published again
    published: list[tuple[str, str, str | None]] = []
    for offset, record in enumerate(records):
        offset = 2 if offset == len(arrivals) else offset
        headers = dict(record.headers)
        message = RawMessage(record.value, headers, key=record.key, topic=record.topic, partition=0, offset=offset)
        plain = {name: value for name, value in headers.items() if name != H_IDENTITY}
        fast, fast_kind = spliced.identify(message, NOW + offset)
        slow, slow_kind = parsed.identify(
            RawMessage(record.value, plain, key=record.key, topic=record.topic, partition=0, offset=offset),
            NOW + offset,
        )
        assert fast_kind == slow_kind
        if fast is None or slow is None:
            assert fast is None and slow is None
            continue
        assert isinstance(fast, Prepared) and isinstance(slow, Prepared)
        assert [without_time(r) for r in fast.records] == [without_time(r) for r in slow.records]
        assert fast.languages == slow.languages
        out = NinjsStory.model_validate_json(fast.records[0].value)
        published.append((out.version, out.pubstatus, out.newswire.identity.duplicate_of))
    first = base.uri
    assert published[:4] == [
        ("1", "usable", None),
        ("1", "usable", f"{first}@1"),  # the near duplicate under its own uri
        ("2", "usable", None),  # the later version
        ("3", "canceled", None),  # the kill
    ]
    assert published[-1] == published[1]  # the replay publishes what the hand-off published then
    assert len(published) == 8  # everything but the exact redelivery
