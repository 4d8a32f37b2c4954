"""Where the shopper's data lives: one folder, from platformdirs or SHOP_HOME."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "SHOP_HOME"
DB_NAME = "shop.db"
PROFILE_NAME = "profile.yaml"
TEMPLATES_DIR = "templates"


def home() -> Path:
    """The data folder: `SHOP_HOME` if set, else the platform's user data folder."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("shopcli", appauthor=False))


def ensure_home() -> Path:
    """Create the data folder (owner-only) if it does not exist yet, and return it."""
    folder = home()
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    return folder


def db_path() -> Path:
    return home() / DB_NAME


def profile_path() -> Path:
    return home() / PROFILE_NAME


def user_templates() -> Path:
    return home() / TEMPLATES_DIR


def builtin_templates() -> Path:
    """The templates shipped with the package (or, in a source checkout, the top-level folder)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "templates"
