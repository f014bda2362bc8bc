"""Story routing: a routing file's named routes send each story to extra Kafka topics.

    router = load_routes("deploy/routes.example.yml")   # RoutesError names file:line on a bad file
    for route in router.route(story): ...               # compiled once per load; ~µs per story

See rules.py for the file format, loader.RouteTable for safe reloads (SIGHUP).
"""

from newswire.routing.compiler import Router, StoryFacts
from newswire.routing.loader import RoutesError, RouteTable, load_routes, parse_routes
from newswire.routing.rules import Match, Route, RoutesFile

__all__ = [
    "Match",
    "Route",
    "RouteTable",
    "Router",
    "RoutesError",
    "RoutesFile",
    "StoryFacts",
    "load_routes",
    "parse_routes",
]
