"""Random option combinations of convolution and pooling against PyTorch float64 (hypothesis).

Where PyTorch refuses a combination (a kernel larger than the padded input, reflect padding
as wide as the input), chalkgrad must refuse it too, with a ValueError.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch", reason="the options are checked against PyTorch float64")

import nn  # noqa: E402
from autograd import Tensor  # noqa: E402

torch.set_default_dtype(torch.float64)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _forward_backward_agree(ours, theirs, x_np, seed):
    """Outputs and input/parameter gradients agree to 1e-9, or both refuse the input."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in theirs.parameters():
            p.copy_(torch.tensor(rng.normal(size=tuple(p.shape))))
    ours.load_state_dict(theirs.state_dict())
    xt = torch.tensor(x_np, requires_grad=True)
    try:
        yt = theirs(xt)
    except RuntimeError as torch_error:
        with pytest.raises(ValueError):
            ours(Tensor(x_np))
        return str(torch_error)
    x = Tensor(x_np)
    y = ours(x)
    np.testing.assert_allclose(y.data, yt.detach().numpy(), atol=1e-9, rtol=0)
    if not torch.isfinite(yt).all():
        # a max-pool window of padding only (dilation > 1): -inf in both, but PyTorch's
        # backward then writes into a neighbouring channel's cell; chalkgrad sends nothing
        return "window of padding only"
    upstream = rng.normal(size=tuple(yt.shape))
    y.backward(grad=upstream)
    yt.backward(torch.tensor(upstream))
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), atol=1e-9, rtol=0)
    for name, p in theirs.named_parameters():
        np.testing.assert_allclose(getattr(ours, name).grad, p.grad.numpy(), atol=1e-9, rtol=0)
    return None


@st.composite
def conv1d_cases(draw):
    groups = draw(st.integers(1, 3))
    stride = draw(st.integers(1, 3))
    padding = draw(
        st.one_of(
            st.integers(0, 3),
            st.just("valid"),
            st.just("same") if stride == 1 else st.integers(0, 3),
        )
    )
    kwargs = dict(
        in_channels=groups * draw(st.integers(1, 2)),
        out_channels=groups * draw(st.integers(1, 2)),
        kernel_size=draw(st.integers(1, 4)),
        stride=stride,
        padding=padding,
        dilation=draw(st.integers(1, 3)),
        groups=groups,
        bias=draw(st.booleans()),
        padding_mode=draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"])),
    )
    shape = (draw(st.integers(1, 2)), kwargs["in_channels"], draw(st.integers(1, 8)))
    return kwargs, shape, draw(st.integers(0, 2**16))


@SETTINGS
@given(conv1d_cases())
def test_random_conv1d_options_match_torch(case):
    kwargs, shape, seed = case
    x = np.random.default_rng(seed).normal(size=shape)
    _forward_backward_agree(nn.Conv1d(**kwargs), torch.nn.Conv1d(**kwargs), x, seed)


@st.composite
def pool1d_cases(draw):
    kind = draw(st.sampled_from(["MaxPool1d", "AvgPool1d"]))
    kernel = draw(st.integers(1, 4))
    kwargs = dict(
        kernel_size=kernel,
        stride=draw(st.one_of(st.none(), st.integers(1, 3))),
        padding=draw(st.integers(0, kernel // 2)),
        ceil_mode=draw(st.booleans()),
    )
    if kind == "MaxPool1d":
        kwargs["dilation"] = draw(st.integers(1, 3))
    else:
        kwargs["count_include_pad"] = draw(st.booleans())
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 9)))
    return kind, kwargs, shape, draw(st.integers(0, 2**16))


@SETTINGS
@given(pool1d_cases())
def test_random_pool1d_options_match_torch(case):
    kind, kwargs, shape, seed = case
    x = np.random.default_rng(seed).normal(size=shape)
    ours, theirs = getattr(nn, kind)(**kwargs), getattr(torch.nn, kind)(**kwargs)
    if _forward_backward_agree(ours, theirs, x, seed) is None:
        assert ours.output_shape(shape) == tuple(theirs(torch.tensor(x)).shape)


@st.composite
def pool2d_cases(draw):
    kind = draw(st.sampled_from(["MaxPool2d", "AvgPool2d"]))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    kwargs = dict(
        kernel_size=kernel,
        stride=(draw(st.integers(1, 2)), draw(st.integers(1, 3))),
        padding=tuple(draw(st.integers(0, k // 2)) for k in kernel),
        ceil_mode=draw(st.booleans()),
    )
    if kind == "MaxPool2d":
        kwargs["dilation"] = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    else:
        kwargs["count_include_pad"] = draw(st.booleans())
    shape = (1, 1, draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    return kind, kwargs, shape, draw(st.integers(0, 2**16))


@SETTINGS
@given(pool2d_cases())
def test_random_pool2d_options_match_torch(case):
    kind, kwargs, shape, seed = case
    x = np.random.default_rng(seed).normal(size=shape)
    _forward_backward_agree(getattr(nn, kind)(**kwargs), getattr(torch.nn, kind)(**kwargs), x, seed)
