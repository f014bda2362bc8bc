"""Hostile input through the whole pipeline: XML attacks in every XML format, broken encodings, hostile JSON.

Every input must end as a story or a rejection (never an exception, never reason `internal`),
within bounded time and memory, without the pipeline reading a file or opening a connection:

- Python-level I/O (`open`, `os.open`, `socket.connect`, `getaddrinfo`, ...) is replaced by a
  recorder that fails while the pipeline runs.
- libxml2 does its own I/O in C, which no Python patch sees, so the attacks point at traps
  that notice a C-level access too: a named pipe (FIFO) whose opening for reading is seen
  by a watcher thread, and a TCP listener on 127.0.0.1 that counts connections.
- Time is `time.perf_counter`; memory is the tracemalloc peak (Python objects) and the
  growth of the process's peak RSS (`ru_maxrss`, which also counts libxml2's C memory).

The deliberately huge inputs (10^6 attributes, a 10 MB line) are above the default 5 MiB
message cap, which rejects them as `too_large` at once; they are also run with a 32 MiB cap
so that the parsers themselves meet them.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import os
import resource
import socket
import threading
import time
import tracemalloc
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from newswire.events.deadletter import Rejection
from newswire.pipeline.core import Pipeline, PipelineOptions
from newswire.pipeline.message import Accepted, Outcome, RawMessage, Rejected
from newswire.stream.envelope import deadletter_record, story_record
from newswire.wire.formats import _dtd

SECRET = "TOPSECRET-SENTINEL-7f3a"
SECONDS = 2.0  # per input, generous: the attacks take milliseconds
BIG_SECONDS = 5.0  # for the ~10 MB inputs run past the message cap (they take ~1 s on a quiet core)
MEGABYTES = 200
# A legitimate 10 MB text past the cap becomes a 10 MB story; its working set is ~23x the input
# (~230 MB: word lists, normalised copies). Bounded, but above MEGABYTES: see test_ten_megabyte_lines.
BIG_MEGABYTES = 400

PIPELINE = Pipeline(PipelineOptions(enrich_stages=()))
UNCAPPED = Pipeline(PipelineOptions(enrich_stages=(), max_message_bytes=32 * 1024 * 1024))


# ---------------------------------------------------------------------------- traps


@dataclass
class Traps:
    """A FIFO and a TCP listener that notice any access, plus the Python-level I/O recorder."""

    fifo: Path
    port: int
    touched: list[str] = field(default_factory=list)

    @property
    def file_uri(self) -> str:
        return self.fifo.as_uri()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"


@pytest.fixture
def traps(tmp_path: Path) -> Iterator[Traps]:
    fifo = tmp_path / "sentinel.dtd"
    os.mkfifo(fifo)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.05)
    made = Traps(fifo=fifo, port=int(listener.getsockname()[1]))
    stop = threading.Event()
    real_os_open, real_os_write, real_os_close = os.open, os.write, os.close

    def watch_fifo() -> None:
        # Opening a FIFO for writing without blocking succeeds only while someone has it open for
        # reading; a parser that tried to read it would block until we write and close.
        while not stop.is_set():
            try:
                fd = real_os_open(str(fifo), os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                time.sleep(0.005)
                continue
            made.touched.append(f"read the file {fifo}")
            with contextlib.suppress(OSError):
                real_os_write(fd, f'<!ENTITY secret "{SECRET}">'.encode())
            real_os_close(fd)

    def watch_port() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            made.touched.append(f"connected to 127.0.0.1:{made.port}")
            connection.close()

    threads = [threading.Thread(target=watch_fifo, daemon=True), threading.Thread(target=watch_port, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        yield made
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=2)
        listener.close()


@contextlib.contextmanager
def no_python_io(touched: list[str]) -> Iterator[None]:
    """Fail (and record) any file or network access made from Python while the block runs."""

    def refuse(what: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            touched.append(f"{what}{args[:2]!r}")
            raise PermissionError(f"hostile-input test: {what} is not allowed here")

        return refused

    patches = {
        (builtins, "open"): refuse("open"),
        (io, "open"): refuse("io.open"),
        (os, "open"): refuse("os.open"),
        (socket.socket, "connect"): refuse("socket.connect"),
        (socket.socket, "connect_ex"): refuse("socket.connect_ex"),
        (socket, "create_connection"): refuse("socket.create_connection"),
        (socket, "getaddrinfo"): refuse("socket.getaddrinfo"),
    }
    saved = {target: getattr(*target) for target in patches}
    try:
        for (owner, name), replacement in patches.items():
            setattr(owner, name, replacement)
        yield
    finally:
        for (owner, name), original in saved.items():
            setattr(owner, name, original)


@dataclass
class Measured:
    outcome: Outcome
    seconds: float
    python_peak_mb: float
    rss_growth_mb: float


def measure(
    pipeline: Pipeline, data: bytes, touched: list[str], content_type: str | None = None, trace: bool = True
) -> Measured:
    """Run one message with I/O refused. `trace=False` skips tracemalloc, which slows allocation-heavy
    Python several times over: for the big legitimate texts the time is measured without it and the
    memory by peak RSS alone."""
    headers = {"content-type": content_type.encode()} if content_type else {}
    message = RawMessage(value=data, headers=headers)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    try:
        with no_python_io(touched):
            started = time.perf_counter()
            outcome = pipeline.process(message)
            seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    finally:
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before  # KiB on Linux
    return Measured(outcome, seconds, peak / 2**20, rss_growth / 1024)


def assert_safe(measured: Measured, seconds: float = SECONDS, megabytes: float = MEGABYTES) -> None:
    """Bounded time and memory; a story or a non-internal rejection that ships cleanly."""
    assert measured.seconds < seconds, f"took {measured.seconds:.2f}s"
    assert measured.python_peak_mb < megabytes, f"Python peak {measured.python_peak_mb:.0f} MB"
    assert measured.rss_growth_mb < megabytes, f"peak RSS grew {measured.rss_growth_mb:.0f} MB"
    outcome = measured.outcome
    assert isinstance(outcome, Accepted | Rejected)
    if isinstance(outcome, Rejected):
        assert outcome.rejection.reason != "internal", outcome.rejection.detail
        assert_deadletter_ships(outcome.rejection)
    else:
        for story in outcome.stories:
            assert_story_ships(story)


def assert_deadletter_ships(rejection: Rejection) -> None:
    record = deadletter_record(RawMessage(value=b"x", topic="wire.raw", partition=0, offset=1), rejection, "dlq")
    for name, value in record.headers:
        assert isinstance(value, bytes), name
        value.decode("utf-8")  # strict: a header a consumer can read
    assert SECRET not in rejection.detail


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _no_constants(name: str) -> Any:
    raise AssertionError(f"the story JSON holds {name}, which is not JSON")


def assert_story_ships(story: Any) -> None:
    """The story becomes a strict-UTF-8, strict-JSON event without NULs, lone surrogates or raw controls."""
    record = story_record(story, "news.stories", "urn:newswire:test", "https://newswire.example/schemas/story")
    payload = json.loads(record.value.decode("utf-8"), parse_constant=_no_constants)
    for text in _strings(payload):
        assert SECRET not in text
        assert "root:x:0:0" not in text
        for char in text:
            category = unicodedata.category(char)
            assert category != "Cs", f"lone surrogate {char!r} in {text[:60]!r}"
            assert category != "Cc" or char in "\t\n\r", f"control character {char!r} in {text[:60]!r}"


# ---------------------------------------------------------------------------- XML: every format

# root element, and a minimal document of the format that becomes a story ({head}, {body}, {extra}).
XML_FORMATS: dict[str, tuple[str, str]] = {
    "nitf": (
        "nitf",
        "<nitf><body><body.head><hedline><hl1>{head}</hl1></hedline></body.head>"
        "<body.content><p>{body}</p>{extra}</body.content></body></nitf>",
    ),
    "newsml_g2": (
        "newsItem",
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:hostile" version="1">'
        "<contentMeta><headline>{head}</headline></contentMeta>"
        '<contentSet><inlineData contenttype="text/plain">{body}</inlineData>{extra}</contentSet></newsItem>',
    ),
    "rss": (
        "rss",
        '<rss version="2.0"><channel><title>Feed</title><item><title>{head}</title>'
        "<description>{body}</description>{extra}</item></channel></rss>",
    ),
    "newsml1": (
        "NewsML",
        '<NewsML Version="1.2"><NewsItem><NewsComponent><NewsLines><HeadLine>{head}</HeadLine></NewsLines>'
        "<ContentItem><DataContent>{body}</DataContent></ContentItem>{extra}</NewsComponent></NewsItem></NewsML>",
    ),
}


def xml_document(
    family: str, doctype: str = "", head: str = "Safe head", body: str = "Safe body.", extra: str = ""
) -> bytes:
    root, template = XML_FORMATS[family]
    declaration = doctype.replace("ROOT", root)
    text = '<?xml version="1.0" encoding="UTF-8"?>' + declaration + template.format(head=head, body=body, extra=extra)
    return text.encode("utf-8")


def billion_laughs(family: str, traps: Traps) -> bytes:
    def refs(level: int) -> str:
        return ("&lol" + (str(level - 1) if level > 1 else "") + ";") * 10

    entities = '<!ENTITY lol "lol">' + "".join(f'<!ENTITY lol{level} "{refs(level)}">' for level in range(1, 10))
    return xml_document(family, f"<!DOCTYPE ROOT [{entities}]>", body="&lol9;")


def quadratic_blowup(family: str, traps: Traps) -> bytes:
    big = "x" * 50_000
    return xml_document(family, f'<!DOCTYPE ROOT [<!ENTITY a "{big}">]>', body="&a;" * 50_000)


def xxe_file(family: str, traps: Traps) -> bytes:
    return xml_document(family, f'<!DOCTYPE ROOT [<!ENTITY xxe SYSTEM "{traps.file_uri}">]>', body="&xxe;")


def xxe_etc_passwd(family: str, traps: Traps) -> bytes:
    return xml_document(family, '<!DOCTYPE ROOT [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', body="&xxe;")


def xxe_http(family: str, traps: Traps) -> bytes:
    return xml_document(family, f'<!DOCTYPE ROOT [<!ENTITY xxe SYSTEM "{traps.url("xxe")}">]>', body="&xxe;")


def parameter_entity_dtd_fetch(family: str, traps: Traps) -> bytes:
    fetch = f'<!ENTITY % remote SYSTEM "{traps.url("evil.dtd")}"> %remote;'
    return xml_document(family, f"<!DOCTYPE ROOT [{fetch}]>", body="&secret;")


def deep_nesting(family: str, traps: Traps) -> bytes:
    depth = 100_000
    return xml_document(family, extra="<n>" * depth + "deep" + "</n>" * depth)


def attributes_on_one_element(family: str, traps: Traps) -> bytes:
    attributes = " ".join(f'a{i}=""' for i in range(1_000_000))
    return xml_document(family, extra=f"<many {attributes}/>")


def attributes_spread(family: str, traps: Traps) -> bytes:
    element = "<e " + " ".join(f'a{i}=""' for i in range(100)) + "/>"
    return xml_document(family, extra=element * 10_000)  # 10^6 attributes in all


REJECTED_ATTACKS: dict[str, Callable[[str, Traps], bytes]] = {
    "billion_laughs": billion_laughs,
    "quadratic_blowup": quadratic_blowup,
    "xxe_file": xxe_file,
    "xxe_etc_passwd": xxe_etc_passwd,
    "xxe_http": xxe_http,
    "parameter_entity_dtd_fetch": parameter_entity_dtd_fetch,
    "deep_nesting_1e5": deep_nesting,
}
HUGE_ATTACKS: dict[str, Callable[[str, Traps], bytes]] = {
    "attributes_1e6_on_one_element": attributes_on_one_element,
    "attributes_1e6_spread": attributes_spread,
}


@pytest.fixture(scope="module", autouse=True)
def warm_up() -> None:
    """Load what the pipeline loads once (zoneinfo, lazy imports) before I/O is refused."""
    for family in XML_FORMATS:
        assert isinstance(PIPELINE.process(RawMessage(value=xml_document(family))), Accepted)
    PIPELINE.process(RawMessage(value=b'{"uri": "urn:x:1", "headline": "H", "body_text": "b"}'))
    PIPELINE.process(RawMessage(value=b"MADRID, 3 ene (EFE).- Texto.\n"))


@pytest.mark.parametrize("family", sorted(XML_FORMATS))
def test_the_templates_are_stories_of_their_format(family: str) -> None:
    outcome = PIPELINE.process(RawMessage(value=xml_document(family)))
    assert isinstance(outcome, Accepted)
    assert outcome.stories[0].newswire.provenance.format == family


@pytest.mark.parametrize("attack", sorted(REJECTED_ATTACKS))
@pytest.mark.parametrize("family", sorted(XML_FORMATS))
def test_xml_attack_is_rejected(family: str, attack: str, traps: Traps) -> None:
    data = REJECTED_ATTACKS[attack](family, traps)
    measured = measure(PIPELINE, data, traps.touched)
    assert_safe(measured)
    assert isinstance(measured.outcome, Rejected)
    assert measured.outcome.rejection.reason in {"forbidden_xml", "malformed"}, measured.outcome.rejection
    time.sleep(0.05)  # let the traps' threads see a late access
    assert traps.touched == []


@pytest.mark.parametrize("attack", sorted(HUGE_ATTACKS))
@pytest.mark.parametrize("family", sorted(XML_FORMATS))
def test_huge_xml_attack_is_rejected(family: str, attack: str, traps: Traps) -> None:
    data = HUGE_ATTACKS[attack](family, traps)
    assert len(data) > PIPELINE.options.max_message_bytes
    capped = measure(PIPELINE, data, traps.touched)
    assert_safe(capped)
    assert isinstance(capped.outcome, Rejected) and capped.outcome.rejection.reason == "too_large"
    assert capped.seconds < 0.1

    measured = measure(UNCAPPED, data, traps.touched)
    assert_safe(measured, BIG_SECONDS)
    assert isinstance(measured.outcome, Rejected)
    assert measured.outcome.rejection.reason in {"forbidden_xml", "malformed"}, measured.outcome.rejection
    assert traps.touched == []


def external_dtd_system(family: str, traps: Traps) -> bytes:
    return xml_document(family, f'<!DOCTYPE ROOT SYSTEM "{traps.url("ROOT.dtd")}">', body="before &secret; after")


def external_dtd_file(family: str, traps: Traps) -> bytes:
    return xml_document(family, f'<!DOCTYPE ROOT SYSTEM "{traps.file_uri}">', body="before &secret; after")


def external_dtd_public(family: str, traps: Traps) -> bytes:
    doctype = f'<!DOCTYPE ROOT PUBLIC "-//Hostile//DTD Test//EN" "{traps.url("public.dtd")}">'
    return xml_document(family, doctype, body="before &secret; after")


def xinclude(family: str, traps: Traps) -> bytes:
    include = (
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{traps.file_uri}" parse="text"/>'
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{traps.url("xi")}" parse="text"/>'
    )
    return xml_document(family, extra=include)


def stylesheet(family: str, traps: Traps) -> bytes:
    return xml_document(family, f'<?xml-stylesheet type="text/xsl" href="{traps.url("style.xsl")}"?>')


NEVER_FETCHED: dict[str, Callable[[str, Traps], bytes]] = {
    "external_dtd_http": external_dtd_system,
    "external_dtd_file": external_dtd_file,
    "external_dtd_public_id": external_dtd_public,
    "xinclude": xinclude,
    "xml_stylesheet": stylesheet,
}


@pytest.mark.parametrize("attack", sorted(NEVER_FETCHED))
@pytest.mark.parametrize("family", sorted(XML_FORMATS))
def test_external_resources_are_never_fetched(family: str, attack: str, traps: Traps) -> None:
    """A DOCTYPE that only names an external DTD is how real NITF arrives (`SYSTEM "nitf-3-5.dtd"`).

    It is read, not refused, but the DTD is never fetched, so the entities it would declare stay
    unexpanded; XInclude and stylesheet instructions are never followed either.
    """
    data = NEVER_FETCHED[attack](family, traps)
    measured = measure(PIPELINE, data, traps.touched)
    assert_safe(measured)
    time.sleep(0.05)
    assert traps.touched == []
    if isinstance(measured.outcome, Accepted):
        text = json.dumps([story.to_payload() for story in measured.outcome.stories])
        assert SECRET not in text


def test_the_traps_do_notice_access(traps: Traps) -> None:
    """The traps are not blind: a C-level read of the FIFO and a connection to the port are both seen."""
    from lxml import etree

    with contextlib.suppress(etree.XMLSyntaxError):
        etree.parse(str(traps.fifo), etree.XMLParser(load_dtd=True, no_network=False, resolve_entities=True))
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", traps.port), timeout=1):
        pass

    def seen(what: str) -> bool:
        return any(what in note for note in traps.touched)

    deadline = time.monotonic() + 2
    while not (seen("read the file") and seen("connected")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert seen("read the file")
    assert seen("connected")
    touched: list[str] = []
    with no_python_io(touched), pytest.raises(PermissionError):
        open(traps.fifo)  # noqa: SIM115
    assert touched


# ---------------------------------------------------------------------------- internal DTD subsets

# Real NewsML 1.2 declares a DTD module or a few entities inline: those are read; the bounds refuse the rest.
ACCEPTED_SUBSETS: dict[str, tuple[str, str, str]] = {
    # name: (doctype, body, text the story must hold)
    "internal_general_entity": (
        '<!DOCTYPE ROOT [<!ENTITY desk "Harbour Desk">]>',
        "Filed by the &desk; today.",
        "Filed by the Harbour Desk today.",
    ),
    "nested_entities_within_depth": (
        '<!DOCTYPE ROOT [<!ENTITY a "ferry"><!ENTITY b "&a; &a;"><!ENTITY c "the &b; line">]>',
        "On &c; &amp; more.",
        "On the ferry ferry line & more.",
    ),
    "relative_dtd_module": (
        '<!DOCTYPE ROOT PUBLIC "urn:test:dtd" "ROOT.dtd" [<!ENTITY % nitf SYSTEM "nitf-3-0.dtd"> %nitf;]>',
        "A module reference is declared, never loaded.",
        "A module reference is declared, never loaded.",
    ),
    "quote_in_entity_value": (
        "<!DOCTYPE ROOT [<!ENTITY q 'a \"quoted\" word'>]>",
        "Here is &q;.",
        'Here is a "quoted" word.',
    ),
}


def _entities(count: int) -> str:
    return "".join(f'<!ENTITY e{i} "v">' for i in range(count))


def _chain(depth: int) -> str:
    return '<!ENTITY l0 "x">' + "".join(f'<!ENTITY l{i} "&l{i - 1};">' for i in range(1, depth + 1))


REFUSED_SUBSETS: dict[str, tuple[str, str]] = {
    "too_many_declarations": (f"<!DOCTYPE ROOT [{_entities(_dtd.MAX_ENTITIES + 1)}]>", "&e0;"),
    "nested_too_deep": (f"<!DOCTYPE ROOT [{_chain(_dtd.MAX_ENTITY_DEPTH)}]>", f"&l{_dtd.MAX_ENTITY_DEPTH};"),
    "too_many_references": ('<!DOCTYPE ROOT [<!ENTITY r "r">]>', "&r;" * (_dtd.MAX_ENTITY_REFERENCES + 1)),
    "expansion_too_large": (
        f'<!DOCTYPE ROOT [<!ENTITY big "{"y" * 1000}">]>',
        "&big;" * (_dtd.MAX_EXPANSION_CHARS // 1000 + 1),
    ),
    "self_reference": ('<!DOCTYPE ROOT [<!ENTITY a "&b;"><!ENTITY b "&a;">]>', "&a;"),
    "literal_parameter_entity": ("<!DOCTYPE ROOT [<!ENTITY % p \"<!ENTITY x 'y'>\"> %p;]>", "&x;"),
    "parameter_entity_file_url": ('<!DOCTYPE ROOT [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>', "x"),
    "external_entity_relative": ('<!DOCTYPE ROOT [<!ENTITY x SYSTEM "local.txt">]>', "&x;"),
    "unparsed_entity": ('<!DOCTYPE ROOT [<!ENTITY x SYSTEM "a.png" NDATA png>]>', "x"),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED_SUBSETS))
@pytest.mark.parametrize("family", sorted(XML_FORMATS))
def test_internal_subset_is_read(family: str, case: str, traps: Traps) -> None:
    doctype, body, expected = ACCEPTED_SUBSETS[case]
    measured = measure(PIPELINE, xml_document(family, doctype, body=body), traps.touched)
    assert_safe(measured)
    assert isinstance(measured.outcome, Accepted), measured.outcome
    text = measured.outcome.stories[0].to_payload()["bodies"][0]["value"]
    assert expected in text
    time.sleep(0.05)
    assert traps.touched == []


@pytest.mark.parametrize("case", sorted(REFUSED_SUBSETS))
@pytest.mark.parametrize("family", sorted(XML_FORMATS))
def test_internal_subset_bounds(family: str, case: str, traps: Traps) -> None:
    doctype, body = REFUSED_SUBSETS[case]
    measured = measure(PIPELINE, xml_document(family, doctype, body=body), traps.touched)
    assert_safe(measured)
    assert isinstance(measured.outcome, Rejected), measured.outcome
    assert measured.outcome.rejection.reason == "forbidden_xml", measured.outcome.rejection
    assert traps.touched == []


def test_bounds_leave_room_for_real_documents() -> None:
    """Just under each bound a document is read: the limits refuse blow-ups, not ordinary use."""
    declared = xml_document("nitf", f"<!DOCTYPE ROOT [{_entities(_dtd.MAX_ENTITIES)}]>", body="&e0;")
    deep = xml_document(
        "nitf", f"<!DOCTYPE ROOT [{_chain(_dtd.MAX_ENTITY_DEPTH - 1)}]>", body=f"&l{_dtd.MAX_ENTITY_DEPTH - 1};"
    )
    for data in (declared, deep):
        assert isinstance(PIPELINE.process(RawMessage(value=data)), Accepted)


def test_references_in_cdata_stay_literal() -> None:
    data = xml_document("nitf", '<!DOCTYPE ROOT [<!ENTITY w "word">]>', body="<![CDATA[keep &w; here]]> and &w;")
    outcome = PIPELINE.process(RawMessage(value=data))
    assert isinstance(outcome, Accepted)
    assert "keep &w; here and word" in outcome.stories[0].to_payload()["bodies"][0]["value"]


# ---------------------------------------------------------------------------- encodings and malformed text


def _ninjs(**fields: Any) -> bytes:
    document = {"uri": "urn:test:hostile:1", "headline": "Head", "body_text": "Body text.", **fields}
    return json.dumps(document).encode()


TEN_MB = 10 * 1024 * 1024
STORY = b'{"uri": "urn:test:1", "headline": "H", "body_text": "b", '
DEPTH = 100_000

TEXT_CASES: dict[str, tuple[bytes, str | None]] = {
    "invalid_utf8_agency_text": (b"MADRID, 3 ene (EFE).- Texto \xff\xfe\xc3\x28 roto \xc0\xaf fin.\n", None),
    "invalid_utf8_nitf": (
        b'<?xml version="1.0" encoding="UTF-8"?><nitf><body><body.head><hedline><hl1>Head \xff\xc3\x28</hl1>'
        b"</hedline></body.head><body.content><p>x \xc0\xaf y</p></body.content></body></nitf>",
        None,
    ),
    "invalid_utf8_ninjs": (b'{"uri": "urn:test:1", "headline": "Head \xff\xc3\x28", "body_text": "b"}', None),
    "invalid_utf8_after_bom": (b"\xef\xbb\xbf<nitf><body><p>\xff</p></body></nitf>", None),
    "invalid_utf16_after_bom": (b"\xff\xfe<\x00n\x00\x00\xd8", None),
    "nul_agency_text": (b"MADRID (EFE).- Hola\x00 mundo\x00\x00 fin.\n", None),
    "nul_nitf": (b"<nitf><body><body.content><p>a\x00b</p></body.content></body></nitf>", None),
    "nul_ninjs_raw": (b'{"uri": "urn:test:1", "headline": "H\x00", "body_text": "b"}', None),
    "nul_ninjs_escaped": (_ninjs(headline="Head\u0000line", body_text="a\u0000b"), None),
    "nul_only": (b"\x00" * 1024, None),
    "lone_surrogate_bytes_text": ("Hola \ud800 mundo.\n".encode("utf-8", "surrogatepass"), None),
    "lone_surrogate_bytes_nitf": (
        "<nitf><body><body.content><p>a \udfff b</p></body.content></body></nitf>".encode("utf-8", "surrogatepass"),
        None,
    ),
    "lone_surrogate_ninjs_escaped": (
        b'{"uri": "urn:test:1", "headline": "H \\ud800 x", "body_text": "b \\udfff"}',
        None,
    ),
    "lone_surrogate_xml_charref": (b"<nitf><body><body.content><p>a &#xD800; b</p></body.content></body></nitf>", None),
    "control_chars_ninjs_raw": (b'{"uri": "urn:test:1", "headline": "H\x01\x1f\x7f", "body_text": "b\x0b\x0c"}', None),
    "control_chars_ninjs_escaped": (
        _ninjs(headline="H\u0007\u001b[2J", body_text="a\u0001\u001b[31m\u0085\u2028b\u009b"),
        None,
    ),
    "control_chars_ninjs_content_type": (_ninjs(body_text="\u0000\u0001\u0002"), "application/ninjs+json"),
    "json_array_depth_1e5": (STORY + b'"x": ' + b"[" * DEPTH + b"]" * DEPTH + b"}", None),
    "json_object_depth_1e5": (b'{"a": ' * DEPTH + b"1" + b"}" * DEPTH, None),
    "json_object_depth_1e5_ninjs_type": (b'{"a": ' * DEPTH + b"1" + b"}" * DEPTH, "application/ninjs+json"),
    "json_unclosed_depth_1e5": (b"[" * DEPTH, "application/ninjs+json"),
    "json_1e999": (STORY + b'"urgency": 1e999, "version": -1e999}', None),
    "json_nan_infinity": (STORY + b'"urgency": NaN, "version": Infinity}', None),
    "json_huge_integer": (STORY + b'"urgency": ' + b"9" * 5000 + b"}", None),
    "json_huge_exponent_everywhere": (
        b'{"uri": 1e999, "headline": 1e999, "body_text": -1e999, "versioncreated": 1e999, "subjects": [1e999]}',
        None,
    ),
    "json_wrong_types": (b'{"uri": ["a"], "headline": {"x": 1}, "body_text": 5, "urgency": "x", "version": [1]}', None),
    "json_duplicate_keys": (STORY + b'"uri": "urn:b", "headline": "G", "body_text": "c"}', None),
    "line_10mb_default_cap": (b"MADRID (EFE).- " + b"palabra " * (TEN_MB // 8) + b"\n", None),
}

BIG_CASES: dict[str, tuple[bytes, str | None]] = {
    "line_10mb_words": (b"MADRID (EFE).- " + b"palabra " * (TEN_MB // 8) + b"\n", None),
    "line_10mb_one_word": (b"MADRID (EFE).- " + b"a" * TEN_MB + b"\n", None),
    "line_10mb_xml_text": (
        b"<nitf><body><body.content><p>" + b"palabra " * (TEN_MB // 8) + b"</p></body.content></body></nitf>",
        None,
    ),
    "line_10mb_ninjs": (_ninjs(body_text="palabra " * (TEN_MB // 8)), None),
    "line_10mb_anpa_type": (b"\x16\x16\x01a1234 " + b"a" * TEN_MB, "application/x-anpa1312"),
}


@pytest.mark.parametrize("case", sorted(TEXT_CASES))
def test_encodings_and_malformed_text(case: str, traps: Traps) -> None:
    data, content_type = TEXT_CASES[case]
    measured = measure(PIPELINE, data, traps.touched, content_type)
    assert_safe(measured)
    assert traps.touched == []


@pytest.mark.parametrize("case", sorted(BIG_CASES))
def test_ten_megabyte_lines(case: str, traps: Traps) -> None:
    data, content_type = BIG_CASES[case]
    capped = measure(PIPELINE, data, traps.touched, content_type)
    assert_safe(capped)
    assert isinstance(capped.outcome, Rejected) and capped.outcome.rejection.reason == "too_large"
    # Past the cap the parsers meet it; timed without tracemalloc (see `measure`).
    measured = measure(UNCAPPED, data, traps.touched, content_type, trace=False)
    assert_safe(measured, BIG_SECONDS, BIG_MEGABYTES)
    assert traps.touched == []


def test_specific_outcomes() -> None:
    """What the hostile text becomes, where it matters."""

    def outcome(data: bytes, content_type: str | None = None) -> Outcome:
        headers = {"content-type": content_type.encode()} if content_type else {}
        return PIPELINE.process(RawMessage(value=data, headers=headers))

    # Raw control characters are not JSON; escaped ones are dropped from the story text.
    raw = outcome(TEXT_CASES["control_chars_ninjs_raw"][0])
    assert isinstance(raw, Rejected) and raw.rejection.reason == "malformed"
    escaped = outcome(TEXT_CASES["control_chars_ninjs_escaped"][0])
    assert isinstance(escaped, Accepted)
    body = escaped.stories[0].to_payload()["bodies"][0]["value"]
    assert "\x1b" not in body and "\x01" not in body
    # Lone surrogates never reach a story.
    surrogate = outcome(TEXT_CASES["lone_surrogate_ninjs_escaped"][0])
    assert isinstance(surrogate, Accepted)
    assert surrogate.stories[0].to_payload()["headlines"][0]["value"] == "H x"
    # JSON nested 10^5 deep is refused without a RecursionError.
    deep = outcome(TEXT_CASES["json_array_depth_1e5"][0])
    assert isinstance(deep, Rejected) and deep.rejection.reason == "malformed"
    # 1e999 (infinity) is not a number a story keeps.
    huge = outcome(TEXT_CASES["json_1e999"][0])
    assert isinstance(huge, Accepted)
    assert "urgency" not in huge.stories[0].to_payload()
    # A bare run of NULs is binary, not text.
    nul = outcome(TEXT_CASES["nul_only"][0])
    assert isinstance(nul, Rejected) and nul.rejection.reason in {"undecodable", "unrecognised_format"}
