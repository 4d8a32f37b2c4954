"""Item pictures: a picture on the web (its address) or a picture file, kept small.

A file is made small once, when it is given: turned upright, shrunk to fit STORED_BOX
pixels (twice the size it is shown at, for sharp screens), stripped of its metadata (a
phone photo's EXIF holds where it was taken) and saved as JPEG, or PNG when it has
transparency. A phone photo of 3-5 MB becomes ~10-25 KB, so a proposal email with
twenty pictures stays a few hundred KB and its HTML part, which holds only `cid:`
references, stays far below Gmail's 102 KB clipping limit.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shopcli.core.errors import InvalidInput

if TYPE_CHECKING:
    from shopcli.storage import Store

SHOWN_BOX = 96  # pixels: the picture's box beside an item in the proposal
STORED_BOX = 2 * SHOWN_BOX
MAX_FILE_BYTES = 25 * 1024 * 1024  # a phone photo is 2-12 MB; more is no picture
MAX_PIXELS = 60_000_000  # refuses decompression bombs long before Pillow's own limit
MAX_STORED_BYTES = 120_000  # a stored picture is ~20 KB; the check is a safety net
READABLE = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
JPEG_QUALITY = 82


@dataclass(frozen=True)
class Picture:
    """A picture ready to keep: its bytes, type, size in pixels and content hash."""

    data: bytes
    media_type: str
    width: int
    height: int
    sha256: str

    def row(self, stamp: str) -> dict:
        return {
            "media_type": self.media_type,
            "width": self.width,
            "height": self.height,
            "data": self.data,
            "sha256": self.sha256,
            "created_at": stamp,
        }


@dataclass(frozen=True)
class Choice:
    """What `--image` named: a web address or a picture file (read and made small)."""

    url: str | None = None
    picture: Picture | None = None
    clear: bool = False


def choose(value: str) -> Choice:
    """`--image VALUE`: an http(s) address, a file path, or "" to remove the picture."""
    from shopcli.core import validate

    value = value.strip()
    if not value:
        return Choice(clear=True)
    if re.match(r"[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        if not re.match(r"https?://", value, re.IGNORECASE):
            raise InvalidInput("a picture link must start with http:// or https://")
        return Choice(url=validate.url(value))
    return Choice(picture=from_file(value))


def from_file(path: str | Path) -> Picture:
    """Read a picture file and make it small (see the module's first lines)."""
    from shopcli.core.files import read_input

    path = Path(path).expanduser()
    return from_bytes(read_input(path, "the picture", MAX_FILE_BYTES), str(path))


def from_bytes(data: bytes, name: str = "the picture") -> Picture:
    """Make picture bytes small: upright, within STORED_BOX, no metadata, JPEG or PNG."""
    from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

    # A picture cut short is refused, whatever another library set for the whole process.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(io.BytesIO(data), formats=READABLE) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise InvalidInput(f"{name} has too many pixels to be a product picture")
            opened.seek(0)  # the first frame of an animation
            image = ImageOps.exif_transpose(opened)
            image.load()
    except UnidentifiedImageError:
        raise InvalidInput(
            f"{name} is not a picture shopcli can read (JPEG, PNG, WebP, GIF, BMP or TIFF)"
        ) from None
    except Image.DecompressionBombError:
        raise InvalidInput(f"{name} has too many pixels to be a product picture") from None
    except (OSError, ValueError, SyntaxError):
        raise InvalidInput(f"{name} is damaged or cut short") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    image.thumbnail((STORED_BOX, STORED_BOX), Image.Resampling.LANCZOS)
    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    out = io.BytesIO()
    if transparent:
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        media_type = "image/png"
        if out.tell() > MAX_STORED_BYTES // 2:
            # Noisy pictures with transparency compress badly: flatten onto white instead.
            transparent = False
            out = io.BytesIO()
    if not transparent:
        flat = image.convert("RGBA") if image.mode in ("P", "LA", "PA") else image
        if flat.mode == "RGBA":
            white = Image.new("RGB", flat.size, (255, 255, 255))
            white.paste(flat, mask=flat.getchannel("A"))
            flat = white
        flat.convert("RGB").save(
            out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
        )
        media_type = "image/jpeg"
    stored = out.getvalue()
    if len(stored) > MAX_STORED_BYTES:  # pragma: no cover - 192 px never gets here
        raise InvalidInput(f"{name} stays too large even when made small")
    return Picture(
        stored, media_type, image.width, image.height, hashlib.sha256(stored).hexdigest()
    )


def shown_size(width: int | None, height: int | None) -> tuple[int, int]:
    """The width and height a picture is shown at: within SHOWN_BOX, its shape kept
    (a picture on the web, whose shape is unknown, gets the whole box)."""
    if not width or not height:
        return SHOWN_BOX, SHOWN_BOX
    scale = SHOWN_BOX / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def kept(store: Store, item_id: int) -> dict | None:
    """The picture file kept for an item (media_type, width, height, data, sha256), if any."""
    from shopcli.storage import pictures as queries

    return queries.of_item(store, item_id)


def kept_for(store: Store, item_ids: list[int]) -> dict[int, dict]:
    """The pictures kept for several items, by item id."""
    from shopcli.storage import pictures as queries

    return queries.of_items(store, item_ids)


def hashes(store: Store, item_ids: list[int]) -> dict[int, str]:
    """The content hash of each item's kept picture, by item id."""
    from shopcli.storage import pictures as queries

    return queries.hashes(store, item_ids)
