"""Identicons drawn by Byline: no Gravatar, no request to anyone, no email hash in the page."""

from __future__ import annotations

import hashlib


def identicon_svg(token: str, size: int = 48) -> str:
    """A symmetric 5×5 pattern and a colour, both from the token (already an HMAC)."""
    digest = hashlib.sha256(token.encode()).digest()
    hue = digest[0] * 360 // 256
    colour = f"hsl({hue} 55% 45%)"
    cell = size / 5
    rects = []
    for row in range(5):
        for col in range(3):
            if digest[1 + row * 3 + col] % 2:
                for c in {col, 4 - col}:
                    rects.append(
                        f'<rect x="{c * cell:g}" y="{row * cell:g}" width="{cell:g}" height="{cell:g}"/>'
                    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
        f'<rect width="{size}" height="{size}" fill="#f0f0f0"/><g fill="{colour}">{"".join(rects)}</g></svg>'
    )
