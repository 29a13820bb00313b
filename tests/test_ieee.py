"""IEEE float semantics instead of Python exceptions, and detect_anomaly (P21)."""

import math

import pytest

from autograd import AnomalyError, Value, detect_anomaly

INF, NAN = math.inf, math.nan


def is_nan(x):
    return x != x


def test_log_of_zero_is_minus_inf_and_its_derivative_inf():
    x = Value(0.0)
    y = x.log()
    y.backward()
    assert y.data == -INF
    assert x.grad == INF


def test_log_of_negative_is_nan():
    assert is_nan(Value(-1.0).log().data)


def test_division_by_zero_is_signed_inf_and_zero_over_zero_nan():
    assert (Value(1.0) / 0.0).data == INF
    assert (Value(-1.0) / 0.0).data == -INF
    assert (Value(1.0) / -0.0).data == -INF
    assert is_nan((Value(0.0) / 0.0).data)
    a, b = Value(1.0), Value(0.0)
    (a / b).backward()
    assert a.grad == INF and b.grad == -INF


def test_negative_base_to_a_fractional_value_power_is_nan_in_forward_and_backward():
    a, b = Value(-8.0), Value(1 / 3)
    y = a**b
    y.backward()
    assert is_nan(y.data) and is_nan(a.grad) and is_nan(b.grad)
    assert is_nan((Value(-8.0) ** 0.5).data)


def test_zero_to_a_negative_power_is_inf():
    assert (Value(0.0) ** -1).data == INF
    assert (Value(-0.0) ** -1).data == -INF


def test_large_arguments_saturate_without_overflow_error():
    assert Value(1000.0).tanh().data == 1.0
    assert Value(-1000.0).tanh().data == -1.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).exp().data == INF
    assert Value(-1000.0).exp().data == 0.0
    assert Value(1000.0).softplus().data == 1000.0
    assert Value(-1000.0).softplus().data == 0.0
    assert (Value(10.0) ** 400).data == INF
    assert (Value(-10.0) ** 401).data == -INF
    x = Value(1000.0)
    x.sigmoid().backward()
    assert x.grad == 0.0


def test_p21_loglu_gives_minus_inf_forward_and_nan_backward():
    x = Value(-1.0, label="x")
    y = x.relu().log()
    y.backward()
    assert y.data == -INF
    assert is_nan(x.grad)  # ReLU'(x) = 0 times 1/ReLU(x) = inf


def test_detect_anomaly_names_the_first_bad_node_in_forward():
    x = Value(-1.0, label="x")
    r = x.relu()
    r.label = "r"
    with pytest.raises(AnomalyError, match=r"forward: log produced -inf") as info:
        with detect_anomaly():
            r.log()
    assert "r=0" in str(info.value)
    assert "first non-finite" in str(info.value)


def test_detect_anomaly_in_backward_names_the_receiving_node():
    x = Value(-1.0, label="x")
    r = x.relu()
    r.label = "r"
    y = r.log()  # built outside the block, so forward is not checked
    with pytest.raises(AnomalyError, match=r"backward: log sends gradient inf to its input 1 of 1") as info:
        with detect_anomaly():
            y.backward()
    assert "receiving node: r = ReLU(x=-1)" in str(info.value)
    assert "local derivative 1/r = inf" in str(info.value)


def test_detect_anomaly_is_quiet_for_finite_graphs_and_restores_the_mode():
    from autograd.mode import MODE

    with detect_anomaly():
        x = Value(2.0)
        y = (x * x).log()
        y.backward()
    assert x.grad == pytest.approx(1.0)
    assert MODE.plain and not MODE.anomaly
