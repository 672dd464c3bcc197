"""Drawing the parents' rich menu image in each language (``python -m bot richmenu render``).

The images are committed under ``assets/``; they are drawn again only when labels change. Each
area shows its label in the menu's language, large, and in Japanese under it (what a city
worker or a Japanese-speaking helper would read with the parent). Fonts come from the machine:
Noto Sans CJK (Debian's ``fonts-noto-cjk``) for Japanese and Chinese, DejaVu Sans for the
Latin-script languages (Vietnamese's stacked accents included).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.i18n import DEFAULT_LANGUAGE, Translator

WIDTH, HEIGHT = 2500, 843
COLOURS = ((6, 199, 85), (30, 136, 229), (244, 81, 30), (142, 36, 170))  # as the first menu
# fontconfig family for each language's own script
FAMILIES = {
    "ja": "Noto Sans CJK JP",
    "zh_Hans": "Noto Sans CJK SC",
    "en": "DejaVu Sans",
    "pt_BR": "DejaVu Sans",
    "vi": "DejaVu Sans",
}


DRAWN = "richmenu_drawn.json"  # beside the images: the labels each one shows


def drawn_labels(language: str, labels: tuple[str, ...]) -> list[str]:
    """The words an image for ``language`` shows: each label translated, and in Japanese."""
    t, ja = Translator(language), Translator(DEFAULT_LANGUAGE)
    return [f"{t.gettext(label)} / {ja.gettext(label)}" for label in labels]


class NoFont(RuntimeError):
    """A font the image needs is not on this machine."""


def font_file(family: str) -> tuple[str, int]:
    """The file and face index fontconfig gives for a family (raises NoFont if only a
    fallback would be used)."""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}|%{family}", family],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise NoFont(f"fc-match failed: {exc}") from exc
    path, index, found = out.split("|", 2)
    if family.casefold() not in found.casefold():
        raise NoFont(f"{family} is not installed (fontconfig offers {found})")
    return path, int(index or 0)


def _font(family: str, size: int):
    from PIL import ImageFont

    path, index = font_file(family)
    return ImageFont.truetype(path, size, index=index)


def _fit(draw, label: str, family: str, size: int, room: int):
    """The largest font up to ``size`` in which ``label`` fits ``room`` pixels, on one or two
    lines (split at the middle space)."""
    lines = [label]
    while size > 40:
        font = _font(family, size)
        if draw.textlength(label, font=font) <= room:
            return font, [label]
        words = label.split(" ")
        if len(words) > 1:
            best = min(range(1, len(words)), key=lambda i: abs(i - len(words) / 2))
            lines = [" ".join(words[:best]), " ".join(words[best:])]
            if all(draw.textlength(x, font=font) <= room for x in lines):
                return font, lines
        size -= 6
    return _font(family, size), lines


def render(language: str, labels: tuple[str, ...], out: Path) -> Path:
    """Draw one parents' menu: ``labels`` are message ids, shown translated and in Japanese."""
    from PIL import Image, ImageDraw

    t, ja = Translator(language), Translator(DEFAULT_LANGUAGE)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    width = WIDTH // len(labels)
    small = _font(FAMILIES[DEFAULT_LANGUAGE], 62)
    for i, (label, colour) in enumerate(zip(labels, COLOURS, strict=False)):
        left = i * width + (2 if i else 0)
        draw.rectangle((left, 0, (i + 1) * width - 1, HEIGHT), fill=colour)
        centre = i * width + width // 2
        big, lines = _fit(draw, t.gettext(label), FAMILIES[language], 104, width - 90)
        line_height = big.size * 1.25
        top = HEIGHT / 2 - 40 - line_height * len(lines) / 2
        for n, line in enumerate(lines):
            draw.text((centre, top + n * line_height), line, font=big, fill="white", anchor="mt")
        if language != DEFAULT_LANGUAGE:
            under = ja.gettext(label)
            y = top + line_height * len(lines) + 30
            draw.text((centre, y), under, font=small, fill="white", anchor="mt")
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, optimize=True)
    return out
