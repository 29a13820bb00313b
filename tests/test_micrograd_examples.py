"""micrograd's own test examples (test_sanity_check, test_more_ops), numbers written in."""

from pytest import approx

from autograd import Value


def test_sanity_check():
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert y.data == approx(-20.0)
    assert x.grad == approx(46.0)


def test_more_ops():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert g.data == approx(24.70408163265306, abs=1e-6)
    assert a.grad == approx(138.83381924198252, abs=1e-6)
    assert b.grad == approx(645.5772594752186, abs=1e-6)
