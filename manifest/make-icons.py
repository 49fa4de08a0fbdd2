#!/usr/bin/env python3
"""Draws ValueBot's Teams icons with the standard library only, so they can be rebuilt exactly.

color.png   192x192, solid accent background, a white rising bar chart (~96x96) centred with 48 px padding.
outline.png 32x32, the same symbol in pure white (255,255,255) on a fully transparent background.
Pixels are either fully set or fully clear: no antialiasing, so the outline has only two kinds of pixel.
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ACCENT = (0x0F, 0x6C, 0xBD)
WHITE = (0xFF, 0xFF, 0xFF)


def symbol(size, pad):
    """Yields the set of (x, y) pixels of the symbol: three rising bars on a baseline."""
    inner = size - 2 * pad
    unit = inner / 16.0
    cells = set()

    def rect(x0, y0, x1, y1):
        for y in range(pad + round(y0 * unit), pad + round(y1 * unit)):
            for x in range(pad + round(x0 * unit), pad + round(x1 * unit)):
                cells.add((x, y))

    # three bars of rising height, bottoms on a common line
    rect(1, 9, 4, 14)
    rect(6.5, 6, 9.5, 14)
    rect(12, 2, 15, 14)
    # baseline
    rect(0, 15, 16, 16)
    return cells


def png(path, width, height, pixel):
    """Writes an 8-bit RGBA PNG; pixel(x, y) returns (r, g, b, a)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type None
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def main():
    color = symbol(192, 48)
    png(os.path.join(HERE, "color.png"), 192, 192,
        lambda x, y: (*WHITE, 255) if (x, y) in color else (*ACCENT, 255))

    outline = symbol(32, 0)
    png(os.path.join(HERE, "outline.png"), 32, 32,
        lambda x, y: (*WHITE, 255) if (x, y) in outline else (*WHITE, 0))


if __name__ == "__main__":
    main()
