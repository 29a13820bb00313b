"""Comparing a layer with its PyTorch twin (the options tests); torch is imported when used."""

import numpy as np

ATOL = 1e-9


def random_parameters(theirs, seed=0):
    """Fill every parameter of a torch module with standard normal numbers (seeded)."""
    import torch

    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in theirs.parameters():
            p.copy_(torch.tensor(rng.normal(size=tuple(p.shape))))


def close(ours, theirs, what):
    """Our numbers equal torch's to ATOL; ``what`` names them in a failure."""
    np.testing.assert_allclose(ours, theirs.detach().numpy(), atol=ATOL, rtol=0, err_msg=what)
