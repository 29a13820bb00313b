"""P10: output shapes, parameter counts and fully-connected equivalents of a small CNN.

The table comes from ``nn.summary`` (shapes propagate without building a graph);
the picture shows one output of the first Conv2d built for real: a single dot
node over 3 x 3 x 3 weights, the 27 inputs of its window and the bias, which is
why each of the 16 filters has 28 parameters (448 in all).
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start

TITLE = "P10: shapes and parameter counts of a CNN on (N, 3, 64, 64) (nn.summary)"

EXPECTED = [  # (output shape, params, fully connected equivalent) from problems.md
    ("(N,16,64,64)", 448, 805371904),
    ("(N,16,32,32)", 0, None),
    ("(N,32,30,30)", 4640, 471888000),
    ("(N,32,16,16)", 0, None),
    ("(N,8,16,16)", 264, 16779264),
    ("(N,4,12,12)", 804, 1180224),
    ("(N,576)", 0, None),
    ("(N,10)", 5770, None),
]


def make_model() -> nn.Sequential:
    """The network of P10.

    Example:
        >>> make_model().num_parameters()
        11926
    """
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, stride=1, padding=1),
        nn.MaxPool2d(2, stride=2, padding=0),
        nn.Conv2d(16, 32, 3, stride=1, padding=0),
        nn.MaxPool2d(2, stride=2, padding=1),
        nn.Conv2d(32, 8, 1, stride=1, padding=0),
        nn.Conv2d(8, 4, 5, stride=1, padding=0),
        nn.Flatten(),
        nn.Linear(576, 10),
    )


def model_summary() -> nn.Summary:
    """``nn.summary`` of the P10 model on input (N, 3, 64, 64).

    Example:
        >>> model_summary().rows[0].params
        448
    """
    return nn.summary(make_model(), (None, 3, 64, 64))


def main(argv: list[str] | None = None) -> int:
    """Print the P10 table and write ``shapes_and_params.svg``."""
    out = start(argv, TITLE)
    heading("Output size o = floor((n - f + 2p) / s) + 1")
    for n, f, p, s in (
        (64, 3, 1, 1),
        (64, 2, 0, 2),
        (32, 3, 0, 1),
        (30, 2, 1, 2),
        (16, 1, 0, 1),
        (16, 5, 0, 1),
    ):
        o = nn.functional.conv_output_size(n, f, p, s)
        print(f"  n={n:2d} f={f} p={p} s={s}: floor(({n} - {f} + {2 * p}) / {s}) + 1 = {o}")
    print(
        "Conv params = (in_channels * f * f + 1) * out_channels; "
        "fully connected equivalent = (inputs + 1) * outputs"
    )
    heading("nn.summary(model, (N, 3, 64, 64))")
    s = model_summary()
    print(s.table())
    got = [(nn.layers.format_shape(r.output_shape), r.params, r.fc_equivalent) for r in s.rows]
    check(got == EXPECTED, "every row matches the table in problems.md")
    show("total parameters", s.total_params)

    heading("One output of Conv2d(3, 16, k=3, p=1), built for real on a 3x3x3 patch")
    conv = nn.Conv2d(3, 1, 3, padding=0, rng=np.random.default_rng(0))
    conv.name("conv")
    patch = Tensor(np.random.default_rng(1).normal(size=(3, 3, 3)), label="x")
    z = scalar(conv(patch)[0, 0, 0], "z[0,0,0]")  # one dot node
    z.backward()
    show(
        "parents of the output's dot node", len(z.parents), note="= 27 weights + 27 inputs + 1 bias"
    )
    check(conv.num_parameters() == 28, "one filter has 3*3*3 + 1 = 28 parameters; 16 filters 448")
    save_graph(z, out, "shapes_and_params", title="P10: one Conv2d output = one dot node")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
