"""nn.summary reproduces P10's table without building a scalar graph."""

import time

import pytest

import nn

P10_TABLE = """| layer | output shape | params | fully connected equivalent |
|---|---|---|---|
| Conv2d(3, 16, k=3, s=1, p=1) | (N,16,64,64) | 448 | 805371904 |
| MaxPool2d(k=2, s=2, p=0) | (N,16,32,32) | 0 | |
| Conv2d(16, 32, k=3, s=1, p=0) | (N,32,30,30) | 4640 | 471888000 |
| MaxPool2d(k=2, s=2, p=1) | (N,32,16,16) | 0 | |
| Conv2d(32, 8, k=1, s=1, p=0) | (N,8,16,16) | 264 | 16779264 |
| Conv2d(8, 4, k=5, s=1, p=0) | (N,4,12,12) | 804 | 1180224 |
| Flatten | (N,576) | 0 | |
| Linear(576, 10) | (N,10) | 5770 | |"""


def p10_model():
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, stride=1, padding=1), nn.MaxPool2d(2, 2, 0),
        nn.Conv2d(16, 32, 3), nn.MaxPool2d(2, 2, 1),
        nn.Conv2d(32, 8, 1), nn.Conv2d(8, 4, 5), nn.Flatten(), nn.Linear(576, 10))


def test_p10_table_exact_and_fast():
    start = time.perf_counter()
    s = nn.summary(p10_model(), (None, 3, 64, 64))
    assert time.perf_counter() - start < 1.0
    assert s.table() == P10_TABLE
    assert s.total_params == 448 + 4640 + 264 + 804 + 5770 == 11926
    assert s.output_shape == (None, 10)
    assert [r.params for r in s.rows] == [448, 0, 4640, 0, 264, 804, 0, 5770]
    assert str(s).endswith("total params: 11926\ntotal fully connected equivalent: 1295219392")


def test_summary_nested_sequential_and_errors():
    model = nn.Sequential(nn.Sequential(nn.Conv1d(2, 4, 3, dilation=2), nn.ReLU()), nn.Flatten())
    s = nn.summary(model, ("N", 2, 10))
    assert [r.layer for r in s.rows] == ["Conv1d(2, 4, k=3, s=1, p=0, d=2)", "ReLU", "Flatten"]
    assert s.rows[0].fc_equivalent == (20 + 1) * 24
    with pytest.raises(ValueError, match=r"Linear\(in_features=576.*expected input with last dim "
                       r"576, received shape \(None, 100\)"):
        nn.summary(nn.Sequential(nn.Flatten(), nn.Linear(576, 10)), (None, 4, 5, 5))
    with pytest.raises(ValueError, match=r"kernel of size \(5, 5\).*larger than the padded input"):
        nn.summary(nn.Conv2d(3, 1, 5), (None, 3, 4, 4))
    with pytest.raises(TypeError, match="summary: expected a Module, got list"):
        nn.summary([nn.ReLU()], (1, 2))
