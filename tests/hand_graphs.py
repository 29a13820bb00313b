"""Small graphs several test files check by hand."""

from autograd import Value


def squared_error():
    """L = (w*x - 1)**2 at w = 2, x = 3, with d = w*x - 1 labelled; returns (L, w, x).

    By hand: d = 5, dL/dd = 2d = 10, dL/dw = 10x = 30, dL/dx = 10w = 20.
    """
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    d = w * x - 1
    d.label = "d"
    L = d**2
    L.label = "L"
    return L, w, x
