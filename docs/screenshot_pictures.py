"""Make docs/proposal-pictures.png: a proposal with item pictures, as headless Chromium shows
it. Run from the repository: `.venv/bin/python docs/screenshot_pictures.py`.

The product pictures are drawn here (no real product photos are shipped); everything else
is the real `shop` output for a small job.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent


def drawings(folder: Path) -> dict[str, Path]:
    """Three simple product pictures: a toy train, coloured pencils and a scarf."""
    found = {}
    train = Image.new("RGB", (900, 600), (246, 241, 232))
    d = ImageDraw.Draw(train)
    d.rectangle((120, 200, 420, 400), fill=(178, 34, 34))
    d.rectangle((420, 260, 760, 400), fill=(34, 90, 160))
    d.rectangle((160, 120, 300, 200), fill=(60, 60, 60))
    for x in (190, 350, 480, 690):
        d.ellipse((x - 50, 370, x + 50, 470), fill=(30, 30, 30))
        d.ellipse((x - 18, 402, x + 18, 438), fill=(200, 170, 60))
    found["train"] = folder / "train.jpg"
    train.save(found["train"], quality=92)

    pencils = Image.new("RGB", (800, 800), (250, 250, 250))
    d = ImageDraw.Draw(pencils)
    colours = [
        (220, 50, 47),
        (203, 75, 22),
        (181, 137, 0),
        (133, 153, 0),
        (38, 139, 210),
        (108, 113, 196),
        (211, 54, 130),
    ]
    for n, colour in enumerate(colours):
        x = 120 + n * 85
        d.rectangle((x, 180, x + 55, 620), fill=colour)
        d.polygon([(x, 180), (x + 55, 180), (x + 27, 100)], fill=(233, 200, 150))
        d.polygon([(x + 17, 128), (x + 38, 128), (x + 27, 100)], fill=colour)
    found["pencils"] = folder / "pencils.png"
    pencils.save(found["pencils"])

    scarf = Image.new("RGB", (700, 900), (236, 240, 243))
    d = ImageDraw.Draw(scarf)
    for n in range(9):
        d.rectangle((230, 80 + n * 80, 470, 120 + n * 80), fill=(110, 30, 60))
        d.rectangle((230, 120 + n * 80, 470, 160 + n * 80), fill=(200, 170, 120))
    for x in range(235, 470, 24):
        d.line((x, 800, x, 860), fill=(110, 30, 60), width=6)
    found["scarf"] = folder / "scarf.jpg"
    scarf.save(found["scarf"], quality=92)
    return found


def main() -> None:
    from typer.testing import CliRunner

    work = Path(tempfile.mkdtemp(prefix="shop-screenshot-"))
    os.environ["SHOP_HOME"] = str(work / "home")
    from shopcli.cli.app import app

    runner = CliRunner()

    def shop(*args: str) -> str:
        result = runner.invoke(app, list(args))
        if result.exit_code:
            sys.exit(f"shop {' '.join(args)} failed: {result.output}")
        return result.output

    pictures = drawings(work)
    shop("init", "--name", "Ruth Okafor", "--email", "ruth@example.co.uk", "--currency", "EUR")
    shop("client", "add", "Hana Sato", "--email", "hana@example.com", "--language", "en")
    shop("recipient", "add", "Hana Sato", "Ken", "--relation", "son", "--interests", "trains")
    shop("recipient", "add", "Hana Sato", "Yui", "--relation", "daughter", "--interests", "art")
    shop("job", "add", "Hana Sato", "Spring 2027", "--deadline", "2027-03-20", "--fee", "flat:40")
    shop("budget", "set", "Spring", "Ken", "120")
    shop("budget", "set", "Spring", "Yui", "100")
    shop(
        "item",
        "add",
        "Spring",
        "Wooden train set",
        "--for",
        "Ken",
        "--price",
        "59",
        "--store",
        "Toyhaus",
        "--url",
        "https://toyhaus.example/train",
        "--image",
        str(pictures["train"]),
    )
    shop(
        "item",
        "add",
        "Spring",
        "Drawing pencils, 7 colours",
        "--for",
        "Yui",
        "--price",
        "24.50",
        "--store",
        "Pencil Place",
        "--url",
        "https://pencils.example/set",
        "--image",
        str(pictures["pencils"]),
    )
    shop(
        "item",
        "add",
        "Spring",
        "Striped wool scarf",
        "--for",
        "Yui",
        "--price",
        "39",
        "--store",
        "Knit & Co",
        "--colour",
        "plum",
        "--url",
        "https://knit.example/scarf",
        "--image",
        str(pictures["scarf"]),
    )
    page = work / "proposal.html"
    shop("propose", "Spring", "--format", "html", "-o", str(page))
    shot = HERE / "proposal-pictures.png"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={work / 'profile'}",
            "--window-size=640,1000",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    print(f"wrote {shot}")


if __name__ == "__main__":
    main()
