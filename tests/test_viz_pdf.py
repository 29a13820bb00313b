"""PDF output without a system Graphviz: a page around the bundled renderer's JPEG."""

import re

import pytest

from autograd import Value
from viz import render
from viz.pdf import jpeg_size, jpeg_to_pdf
from viz.render import PDF_DPI, run_graphviz


def test_render_writes_a_well_formed_pdf(tmp_path):
    x = Value(2.0, label="x")
    y = (x * x).log()
    y.backward()
    pdf = render(y, tmp_path / "graph.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-1.4")
    # every cross-reference offset points at the object it names
    table = pdf[int(re.search(rb"startxref\n(\d+)", pdf).group(1)):]
    offsets = [int(line[:10]) for line in table.splitlines()[3:] if line.endswith(b" n ")]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(f"{number} 0 obj".encode())
    assert b"/Filter /DCTDecode" in pdf and b"/Type /Page " in pdf


def test_the_page_is_sized_for_the_rendering_resolution():
    jpeg = run_graphviz("digraph { a -> b }", "jpg", 60.0, f"-Gdpi={PDF_DPI:g}")
    width, height = jpeg_size(jpeg)
    pdf = jpeg_to_pdf(jpeg, dpi=144.0)
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert float(box.group(1)) == pytest.approx(width / 2, abs=0.01)  # 72 / 144
    assert float(box.group(2)) == pytest.approx(height / 2, abs=0.01)
    assert f"/Width {width} /Height {height}".encode() in pdf


def test_jpeg_size_rejects_other_bytes():
    with pytest.raises(ValueError, match="not a JPEG: it does not start with the SOI marker"):
        jpeg_size(b"\x89PNG\r\n")
