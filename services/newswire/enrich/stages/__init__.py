"""Every enrichment stage module, imported in pipeline order.

A new stage is a new module with a `@stage`-decorated function, plus its name in ORDER
(stages depend on earlier ones: entities need the language, quotes need the entities).
"""

import importlib

ORDER = ("language", "dateline", "entities", "quotes", "dates", "amounts", "subjects", "keywords")

for _name in ORDER:
    importlib.import_module(f"{__name__}.{_name}")
