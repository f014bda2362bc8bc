"""Text output for `newswire routes explain`."""

from __future__ import annotations

from newswire.events.ninjs import NinjsStory
from newswire.routing.compiler import Router, StoryFacts


def _show(values: object) -> str:
    if isinstance(values, frozenset | set | tuple | list):
        return ", ".join(sorted(str(value) for value in values)) or "-"
    return "-" if values is None else str(values)


def describe_facts(facts: StoryFacts, router: Router) -> list[str]:
    subjects = ", ".join(f"{code} ({router.tree.label(code)})" for code in facts.subjects) or "-"
    return [
        f"  language  {_show(facts.language)}",
        f"  source    {_show(facts.source)}",
        f"  urgency   {_show(facts.urgency)}",
        f"  kind      {facts.kind}",
        f"  medtop    {subjects}  [+ancestors: {len(facts.medtop) - len(facts.subjects)}]",
        f"  entities  {_show(facts.entity_ids | facts.entity_names)}",
        f"  country   {_show(facts.country)}",
        f"  geonames  {_show(facts.geonames)}",
        f"  keywords  {_show(facts.keyword)}",
    ]


def explain_text(router: Router, story: NinjsStory, main_topic: str = "<main stories topic>") -> str:
    """Which routes the story matches and why, plus the topics it would be sent to."""
    facts = router.facts(story)
    lines = [f"story {story.uri}", *describe_facts(facts, router), ""]
    matched: list[str] = []
    for (name, ok, reasons), route in zip(router.explain(story), router.routes, strict=True):
        lines.append(f"{'MATCH' if ok else 'no   '} {name} -> {route.topic}")
        lines += reasons
        if ok:
            matched.append(route.topic)
    destinations = list(dict.fromkeys(([main_topic] if router.default_topic else []) + matched))
    lines += ["", f"delivered to: {', '.join(destinations) or 'nowhere (default_topic is false and no route matched)'}"]
    return "\n".join(lines)
