"""Every wire format module in this folder; importing the package registers them all.

A new format is a new module here with a `@register`-ed parser: nothing else to edit.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")
