"""PDF output without a system Graphviz: vector PDF from the bundled renderer's SVG."""

import re
import shutil
import subprocess

import pytest

import nn
from autograd import Tensor, Value
from viz import draw, render
from viz.writers.graphviz_run import find_renderer, run_graphviz
from viz.writers.pdf import svg_to_pdf

BUNDLED = find_renderer().endswith(("graphviz-pure", "graphviz-pure.exe"))
needs_bundled = pytest.mark.skipif(
    not BUNDLED, reason="a system dot writes the PDF itself; these tests cover graphviz-pure"
)


def _pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed: cannot extract the text")
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _square_log():
    x = Value(-2.0, label="x")
    y = (x * x).log()
    y.label = "y"
    y.backward()
    return y


@needs_bundled
def test_pdf_is_vector_with_selectable_text(tmp_path):
    out = render(_square_log(), tmp_path / "graph.pdf")
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert b"/Subtype /Image" not in pdf and b"/DCTDecode" not in pdf  # no raster picture
    text = _pdf_text(out)
    # y = log(x^2) at x = -2: data 1.386, dy/dx = 2/x = -1 (ASCII minus, copyable)
    assert "data -2" in text and "grad -1" in text and "data 1.386" in text
    assert "\u2212" not in text


@needs_bundled
def test_the_page_is_the_size_of_the_picture():
    svg = run_graphviz(draw(_square_log()).source, "svg").decode()
    width, height = (
        float(v) for v in re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    )
    pdf = svg_to_pdf(svg)
    box = [float(v) for v in re.search(rb"/MediaBox \[\s*([\d. ]+)\]", pdf).group(1).split()]
    assert box[2] - box[0] == pytest.approx(width, abs=1) and box[3] - box[1] == pytest.approx(
        height, abs=1
    )


@needs_bundled
def test_an_lstm_picture_stays_small(tmp_path):
    nn.manual_seed(0)
    lstm = nn.LSTM(3, 4)
    x = Tensor([[0.1 * (t + i) for i in range(3)] for t in range(4)], label="x")
    out, _ = lstm(x)
    loss = out.sum()
    loss.backward()
    path = render(loss, tmp_path / "lstm.pdf")
    size = path.stat().st_size
    assert size < 300_000, f"LSTM picture is {size} bytes"
    assert b"/Subtype /Image" not in path.read_bytes()
    text = _pdf_text(path)
    assert "weight_ih_l0" in text and "(4, 3) in the graph" in text


def test_svg_to_pdf_refuses_other_text():
    with pytest.raises(Exception, match=r"(?i)svg|xml|document"):
        svg_to_pdf("this is not svg")
