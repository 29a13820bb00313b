"""A student's layers, cs231n style: forward and backward passes written by hand in numpy.

One of them has a bug on purpose (``softmax_loss_backward`` forgets to average
over the batch); ``test_layers.py`` finds it with chalkgrad's pytest plugin.
"""

import numpy as np


def affine_forward(x, w, b):
    """out = x w + b for x (N, D), w (D, M), b (M,)."""
    return x @ w + b


def affine_backward(x, w, b, dout):
    """Gradients of affine_forward: (dx, dw, db)."""
    dx = dout @ w.T
    dw = x.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_backward(x, dout):
    """Gradient of max(x, 0): the upstream gradient where x > 0."""
    return dout * (x > 0)


def softmax_loss(x, y):
    """Mean cross-entropy of scores x (N, C) against integer labels y (N,)."""
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(len(y)), y].mean()


def softmax_loss_backward(x, y, dout):
    """Gradient of softmax_loss with respect to x (y gets none)."""
    probs = np.exp(x - x.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    probs[np.arange(len(y)), y] -= 1
    return probs * dout, None  # BUG: forgot to divide by N, the batch size


def conv_backward(x, w, b, dout):
    """Gradients of a 2-d convolution, stride 1, no padding: (dx, dw, db).

    x (N, C, H, W), w (F, C, HH, WW), b (F,), dout (N, F, H - HH + 1, W - WW + 1).
    """
    n, c, h, width = x.shape
    f, _, hh, ww = w.shape
    dx, dw = np.zeros_like(x), np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for i in range(h - hh + 1):
        for j in range(width - ww + 1):
            window = x[:, :, i : i + hh, j : j + ww]  # (N, C, HH, WW)
            g = dout[:, :, i, j]  # (N, F)
            dw += np.einsum("nf,nchw->fchw", g, window)
            dx[:, :, i : i + hh, j : j + ww] += np.einsum("nf,fchw->nchw", g, w)
    return dx, dw, db
