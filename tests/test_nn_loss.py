"""Losses: hand-derived values and gradients, stability, reductions, bad input."""

import math

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor, gradcheck


def test_cross_entropy_value_and_gradient_softmax_minus_onehot():
    logits = Tensor([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0]])
    loss = nn.CrossEntropyLoss()(logits, [1, 2])
    p0 = np.exp([1.0, 2.0, 0.5]) / np.exp([1.0, 2.0, 0.5]).sum()
    expected = (-math.log(p0[1]) + math.log(3.0)) / 2
    assert loss.item() == pytest.approx(expected, rel=1e-12)
    loss.backward()
    grad = np.vstack([p0 - [0, 1, 0], np.full(3, 1 / 3) - [0, 0, 1]]) / 2
    np.testing.assert_allclose(logits.grad, grad, rtol=1e-10)


def test_cross_entropy_stable_and_reductions():
    big = Tensor([[1000.0, -1000.0]])
    assert F.cross_entropy(big, [1]).item() == pytest.approx(2000.0)
    per = F.cross_entropy(Tensor([[0.0, 0.0], [0.0, math.log(3.0)]]), [0, 1], reduction="none")
    np.testing.assert_allclose(per.data, [math.log(2), math.log(4 / 3)])
    total = F.cross_entropy(Tensor([[0.0, 0.0], [0.0, 0.0]]), [0, 1], reduction="sum")
    assert total.item() == pytest.approx(2 * math.log(2))


def test_nll_and_bce_and_mse_by_hand():
    assert nn.NLLLoss(reduction="sum")(Tensor([[-1.0, -2.0], [-3.0, -4.0]]), [1, 0]).item() == 5.0
    p = Tensor([0.8, 0.1])
    loss = nn.BCELoss()(p, Tensor([1.0, 0.0]))
    assert loss.item() == pytest.approx(-(math.log(0.8) + math.log(0.9)) / 2)
    loss.backward()
    np.testing.assert_allclose(p.grad, [-1 / 0.8 / 2, 1 / 0.9 / 2])
    assert nn.BCELoss()(Tensor([0.0]), Tensor([1.0])).item() == 100.0  # log clamped at -100
    x = Tensor([2.0, -1.0])
    mse = nn.MSELoss()(x, Tensor([1.0, 1.0]))
    assert mse.item() == 2.5
    mse.backward()
    assert x.grad.tolist() == [1.0, -2.0]


def test_bce_with_logits_stable_and_gradient_sigmoid_minus_target():
    x = Tensor([800.0, -800.0, 0.3])
    t = Tensor([0.0, 1.0, 1.0])
    loss = F.binary_cross_entropy_with_logits(x, t, reduction="sum")
    assert loss.item() == pytest.approx(800.0 + 800.0 + math.log1p(math.exp(-0.3)))
    loss.backward()
    np.testing.assert_allclose(x.grad, [1.0, -1.0, 1 / (1 + math.exp(-0.3)) - 1.0])
    assert gradcheck(
        lambda z: F.binary_cross_entropy_with_logits(z, Tensor([0.0, 1.0])), [Tensor([0.4, -1.3])]
    )


def test_max_margin_loss_micrograd_rule():
    scores = Tensor([0.5, -2.0, 1.5])
    w = nn.Parameter([1.0, -2.0])
    loss = nn.MarginLoss(alpha=0.01)(scores, [1.0, 1.0, -1.0], [w])
    # hinge: relu(1-0.5)=0.5, relu(1+2)=3, relu(1+1.5)=2.5 -> mean 2; L2: 0.01 * 5
    assert loss.item() == pytest.approx(2.0 + 0.05)
    loss.backward()
    np.testing.assert_allclose(scores.grad, [-1 / 3, -1 / 3, 1 / 3])
    np.testing.assert_allclose(w.grad, [0.02, -0.04])


def test_loss_bad_input():
    with pytest.raises(
        ValueError,
        match=r"cross_entropy: expected target of shape \(2,\) "
        r"\(class indices\) or \(2, 3\) \(probabilities\), received shape \(3,\)",
    ):
        F.cross_entropy(Tensor(np.zeros((2, 3))), [0, 1, 2])
    with pytest.raises(
        IndexError,
        match=r"class indices must be in \[0, 3\) or equal ignore_index=-100, received \[3\]",
    ):
        F.cross_entropy(Tensor(np.zeros((2, 3))), [0, 3])
    with pytest.raises(
        ValueError,
        match=r"mse_loss: input and target must have the same shape, "
        r"received input \(2,\) and target \(3,\)",
    ):
        F.mse_loss(Tensor([1.0, 2.0]), Tensor([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match=r"reduction must be one of"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match=r"binary_cross_entropy: input must be probabilities"):
        F.binary_cross_entropy(Tensor([1.5]), Tensor([1.0]))
    with pytest.raises(ValueError, match=r"targets must be -1 or \+1"):
        F.max_margin_loss(Tensor([1.0]), [0.0])
