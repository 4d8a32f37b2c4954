"""Build hook: compile the gettext catalogs (.po) into .mo files inside the wheel."""

from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale = Path(self.root) / "src" / "shopcli" / "locale"
        out = Path(tempfile.mkdtemp(prefix="shopcli-mo-"))
        for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
            language = po.parent.parent.name
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            buffer = BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            target = out / language / "LC_MESSAGES" / po.with_suffix(".mo").name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(buffer.getvalue())
            relative = target.relative_to(out).as_posix()
            build_data["force_include"][str(target)] = f"shopcli/locale/{relative}"
