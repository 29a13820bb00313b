"""micrograd's classic demo: an MLP(2, [16, 16, 1]) learns the two moons.

The data are generated here (two interleaved half circles with Gaussian noise,
labels -1/+1, no download). The model is micrograd's MLP written with nn layers
(Linear + ReLU, linear output); the loss is micrograd's SVM max-margin loss
plus 1e-4 L2 (``nn.functional.max_margin_loss``); the optimizer ``nn.optim.SGD``
with micrograd's schedule lr = 1 - 0.9 k / steps, the step compiled with ``autograd.compile``
(traced once, replayed with numpy, same numbers). A tqdm bar shows progress;
matplotlib (the ``demos`` extra) draws the decision boundary and loss curve.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

import nn
from autograd import Tensor, compile, no_grad
from demos.common import check, heading, progress, save_graph, scalar, show, start
from viz.files import write_atomic

TITLE = "micrograd's moons: MLP(2, [16, 16, 1]) with nn + SGD, decision boundary PNG"

STEPS = 100


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points on two interleaved half circles, labels -1 (upper) and +1 (lower).

    Example:
        >>> X, y = make_moons(10)
        >>> X.shape, sorted(set(y.tolist()))
        ((10, 2), [-1.0, 1.0])
    """
    rng = np.random.default_rng(seed)
    upper = n // 2
    angles = np.concatenate([rng.uniform(0, np.pi, upper), rng.uniform(0, np.pi, n - upper)])
    X = np.empty((n, 2))
    X[:upper] = np.c_[np.cos(angles[:upper]), np.sin(angles[:upper])]
    X[upper:] = np.c_[1.0 - np.cos(angles[upper:]), 0.5 - np.sin(angles[upper:])]
    X += rng.normal(scale=noise, size=X.shape)
    y = np.r_[-np.ones(upper), np.ones(n - upper)]
    order = rng.permutation(n)
    return X[order], y[order]


class MLP(nn.Module):
    """micrograd's ``MLP(nin, nouts)``: Linear layers, ReLU between them, a linear output.

    Example:
        >>> MLP(2, [16, 16, 1]).num_parameters()
        337
    """

    def __init__(self, nin: int, nouts: list[int], seed: int = 0) -> None:
        super().__init__()
        rng = np.random.default_rng(seed)
        sizes = [nin] + list(nouts)
        layers: list[nn.Module] = []
        for i in range(len(nouts)):
            layers.append(nn.Linear(sizes[i], sizes[i + 1], rng=rng))
            if i < len(nouts) - 1:
                layers.append(nn.ReLU())
        self.net = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)  # (N, nouts[-1])


def loss_and_scores(model: MLP, X: Tensor, y: np.ndarray) -> tuple[Tensor, Tensor]:
    """micrograd's max-margin loss with 1e-4 L2, and the scores: the step ``train`` compiles.

    Example:
        >>> X, y = make_moons(8)
        >>> loss, scores = loss_and_scores(MLP(2, [4, 1]), Tensor(X), y)
        >>> loss.shape, scores.shape
        ((), (8,))
    """
    scores = model(X).reshape(-1)  # (N,)
    return nn.functional.max_margin_loss(scores, y, model.parameters(), alpha=1e-4), scores


def loss_and_accuracy(model: MLP, X: np.ndarray, y: np.ndarray) -> tuple[Tensor, float]:
    """micrograd's max-margin loss with 1e-4 L2, and the accuracy of sign(score).

    Example:
        >>> X, y = make_moons(8)
        >>> loss, acc = loss_and_accuracy(MLP(2, [4, 1]), X, y)
        >>> loss.shape, 0.0 <= acc <= 1.0
        ((), True)
    """
    scores = model(Tensor(X)).reshape(-1)  # (N,)
    loss = nn.functional.max_margin_loss(scores, y, model.parameters(), alpha=1e-4)
    accuracy = float(np.mean((scores.data > 0) == (y > 0)))
    return loss, accuracy


def train(
    X: np.ndarray, y: np.ndarray, steps: int = STEPS, seed: int = 0
) -> tuple[MLP, list[float], list[float]]:
    """Train MLP(2, [16, 16, 1]) with SGD and micrograd's learning-rate schedule.

    The step is compiled (``autograd.compile``): the first call records the
    scalar graph, the others replay it with numpy.

    Example:
        >>> X, y = make_moons(20)
        >>> _, losses, _ = train(X, y, steps=3)
        >>> len(losses)
        3
    """
    model = MLP(2, [16, 16, 1], seed=seed)
    opt = nn.optim.SGD(model.parameters(), lr=1.0)
    # Traced on the first step, then replayed with numpy: the same numbers as eager mode.
    step = compile(lambda X: loss_and_scores(model, X, y))
    losses, accuracies = [], []
    bar = progress(steps)
    for k in bar:
        opt.zero_grad()
        loss, scores = step(X)
        loss.backward()
        opt.defaults["lr"] = 1.0 - 0.9 * k / steps
        opt.step()
        losses.append(loss.item())
        accuracies.append(float(np.mean((scores.data > 0) == (y > 0))))
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(loss=f"{losses[-1]:.3f}", acc=f"{accuracies[-1]:.0%}")
    return model, losses, accuracies


def save_plot(model: MLP, X: np.ndarray, y: np.ndarray, losses: list[float], path: Path) -> bool:
    """Decision boundary and loss curve as a PNG; False if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print('(no PNG: pip install "chalkgrad[demos]" for matplotlib)')
        return False
    h = 0.05
    xs = np.arange(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, h)
    ys = np.arange(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5, h)
    gx, gy = np.meshgrid(xs, ys)
    with no_grad():
        scores = model(Tensor(np.c_[gx.ravel(), gy.ravel()])).data.reshape(gx.shape)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    left.contourf(gx, gy, scores > 0, cmap=plt.cm.Spectral, alpha=0.8)
    left.scatter(X[:, 0], X[:, 1], c=y, s=30, cmap=plt.cm.Spectral, edgecolors="k")
    left.set_title("decision boundary of MLP(2, [16, 16, 1])")
    right.plot(losses)
    right.set_xlabel("step")
    right.set_ylabel("max-margin loss + L2")
    right.set_title("training loss")
    fig.tight_layout()
    picture = io.BytesIO()
    fig.savefig(picture, format="png", dpi=90)
    plt.close(fig)
    write_atomic(path, picture.getvalue())  # all or nothing, like every demo output
    print(f"wrote {path}")
    return True


def main(argv: list[str] | None = None) -> int:
    """Train on the moons, print the result, write ``moons.png`` and ``moons.svg``."""
    out = start(argv, TITLE)
    X, y = make_moons()
    heading("Data and model")
    show("points", len(X), note="(two moons, noise 0.1, labels -1/+1)")
    model = MLP(2, [16, 16, 1])
    show("parameters", model.num_parameters(), note="= (2+1)16 + (16+1)16 + (16+1)1")
    heading(f"Training: {STEPS} steps of SGD, lr = 1 - 0.9 k/{STEPS}")
    model, losses, accuracies = train(X, y)
    show("loss at step 1", losses[0])
    show("loss at the end", losses[-1])
    show("accuracy at the end", accuracies[-1])
    check(accuracies[-1] >= 0.95, "the MLP separates the moons (accuracy >= 95%)")
    save_plot(model, X, y, losses, out / "moons.png")
    loss, _ = loss_and_accuracy(model, X[:4], y[:4])
    loss = scalar(loss, "loss")
    model.zero_grad()  # the picture shows this loss's gradients, not training's last step's
    loss.backward()
    save_graph(loss, out, "moons", title="moons: the loss graph on 4 points (collapsed per tensor)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
