"""Loading a routing file into a `Router`, and `RouteTable`: the live router with safe reloads.

Reload policy: the service loads the file at start-up (a broken file stops it) and again on SIGHUP.
A reload that fails validation leaves the running router in place and is logged; the next SIGHUP
after the file is fixed picks it up.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from newswire.routing.compiler import Router
from newswire.routing.rules import (
    Problem,
    RoutesFile,
    RulesSyntaxError,
    pydantic_problems,
    reader_for,
    semantic_problems,
)

log = logging.getLogger(__name__)


class RoutesError(Exception):
    """A routing file that cannot be used; str() is the message to show (one `file:line: path: problem` per line)."""

    def __init__(self, filename: str, problems: list[Problem]) -> None:
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(problem.render(filename) for problem in problems))


@dataclass(frozen=True, slots=True)
class Loaded:
    router: Router
    warnings: list[str]
    digest: str


def parse_routes(text: str, filename: str = "routes.yml") -> Loaded:
    """Validate and compile routing-file text; raises RoutesError naming file, line and path."""
    read = reader_for(filename)
    try:
        data, lines = read(text)
    except RulesSyntaxError as error:
        raise RoutesError(filename, [error.problem]) from None
    if not isinstance(data, dict):
        raise RoutesError(filename, [Problem(1, (), "the routing file must be a mapping with a `routes:` list")])
    try:
        rules = RoutesFile.model_validate(data)
    except ValidationError as error:
        problems = sorted(pydantic_problems(error.errors(), lines), key=lambda problem: problem.line or 0)
        raise RoutesError(filename, problems) from None
    problems = semantic_problems(rules, lines)
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        raise RoutesError(filename, errors)
    warnings = [problem.render(filename) for problem in problems if problem.warning]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Loaded(Router(rules, origin=filename), warnings, digest)


def load_routes_file(path: str | Path) -> Loaded:
    """Read and validate a routing file (YAML, or TOML by `.toml` suffix)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise RoutesError(
            name, [Problem(None, (), f"cannot read the routing file: {error.strerror or error}")]
        ) from None
    except UnicodeDecodeError as error:
        raise RoutesError(name, [Problem(None, (), f"not UTF-8 text: {error}")]) from None
    return parse_routes(text, name)


def load_routes(path: str | Path) -> Router:
    """The compiled router for a routing file; raises RoutesError with a message naming the line."""
    return load_routes_file(path).router


class RouteTable:
    """Holds the live Router; `reload` swaps in a new one only if the file is valid.

    Readers take `table.router` once per story (a plain attribute read, atomic under the GIL) and use
    that snapshot, so a concurrent reload never changes the routes halfway through a story.
    """

    def __init__(self, router: Router, path: str | Path | None = None, digest: str | None = None) -> None:
        self._router = router
        self._lock = threading.Lock()
        self.path = Path(path) if path is not None else None
        self.digest = digest
        self.loaded_at = time.time()
        self.last_error: RoutesError | None = None

    @classmethod
    def from_file(cls, path: str | Path) -> RouteTable:
        """Start-up load: raises RoutesError (the service should exit with its message)."""
        loaded = load_routes_file(path)
        for warning in loaded.warnings:
            log.warning("%s", warning)
        return cls(loaded.router, path, loaded.digest)

    @property
    def router(self) -> Router:
        return self._router

    def reload(self, path: str | Path | None = None) -> RoutesError | None:
        """Load `path` (default: the file loaded before); keep the current router if it is broken.

        Returns None on success (or when the file is unchanged), the RoutesError otherwise; both are logged.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("RouteTable.reload needs a path: none was loaded before")
        with self._lock:
            try:
                loaded = load_routes_file(target)
            except RoutesError as error:
                self.last_error = error
                log.error(
                    "routing file %s rejected, keeping the %d current routes:\n%s", target, len(self._router), error
                )
                return error
            self.last_error = None
            for warning in loaded.warnings:
                log.warning("%s", warning)
            if loaded.digest == self.digest and target == self.path:
                log.info("routing file %s unchanged (%s)", target, loaded.digest)
                return None
            before = set(self._router.topics())
            self._router = loaded.router
            self.path, self.digest, self.loaded_at = target, loaded.digest, time.time()
            added = [topic for topic in loaded.router.topics() if topic not in before]
            log.info(
                "routing file %s loaded: %d routes (%s)%s",
                target,
                len(loaded.router),
                loaded.digest,
                f"; new topics: {', '.join(added)}" if added else "",
            )
            return None


def install_sighup_reload(table: RouteTable, loop: asyncio.AbstractEventLoop | None = None) -> bool:
    """Reload `table` from its file on SIGHUP (in the event loop's thread). False where SIGHUP is unavailable
    (Windows) or handlers cannot be installed (not the main thread)."""
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is None:
        return False
    loop = loop or asyncio.get_event_loop()
    try:
        loop.add_signal_handler(hangup, table.reload)
    except (NotImplementedError, RuntimeError, ValueError):
        return False
    return True
