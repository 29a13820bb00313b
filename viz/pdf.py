"""A one-page PDF around a JPEG picture, for renderers that cannot write PDF themselves.

The bundled ``graphviz-pure`` writes SVG, PNG and JPEG but no PDF. PDF can hold a
JPEG as it is (the ``DCTDecode`` filter), so a page is a few dozen bytes of PDF
objects around the renderer's JPEG: a raster page, sized so that it prints at
the resolution it was rendered at. A system Graphviz writes vector PDF instead.
"""

from __future__ import annotations


def jpeg_size(jpeg: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from the JPEG's start-of-frame marker.

    Example:
        >>> from viz.render import run_graphviz
        >>> width, height = jpeg_size(run_graphviz("digraph { a -> b }", "jpg"))
        >>> width > 0 and height > width
        True
    """
    if jpeg[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG: it does not start with the SOI marker FF D8")
    i = 2
    while i + 9 < len(jpeg):
        if jpeg[i] != 0xFF:
            raise ValueError(f"not a JPEG: no marker at byte {i}")
        marker = jpeg[i + 1]
        length = int.from_bytes(jpeg[i + 2 : i + 4], "big")
        # SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(jpeg[i + 5 : i + 7], "big")
            width = int.from_bytes(jpeg[i + 7 : i + 9], "big")
            return width, height
        i += 2 + length
    raise ValueError("not a JPEG: no start-of-frame marker found")


def jpeg_to_pdf(jpeg: bytes, dpi: float = 144.0) -> bytes:
    """A one-page PDF showing ``jpeg``, with the page sized for ``dpi`` pixels per inch.

    Example:
        >>> from viz.render import run_graphviz
        >>> pdf = jpeg_to_pdf(run_graphviz("digraph { a -> b }", "jpg"))
        >>> pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
        True
    """
    width, height = jpeg_size(jpeg)
    page_w, page_h = width * 72.0 / dpi, height * 72.0 / dpi
    content = f"q {page_w:.2f} 0 0 {page_h:.2f} 0 0 cm /Im0 Do Q".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w:.2f} {page_h:.2f}] "
         "/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>").encode("ascii"),
        (f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} "
         f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg)} >>\n"
         "stream\n").encode("ascii") + jpeg + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode("ascii") + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode("ascii")
    return bytes(out)
