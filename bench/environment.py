"""What every benchmark script does first: a clean BLAS environment, PyTorch on one thread.

This machine sets ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE``, which slow numpy
and torch down; they must be gone before numpy loads OpenBLAS, so a script that
finds them runs itself again without them. Import this module before numpy.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

OPENBLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def rerun_without_openblas_variables() -> None:
    """Re-execute the running script without the OpenBLAS variables, if any is set.

    Example:
        >>> OPENBLAS_VARIABLES
        ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE')
    """
    if set(OPENBLAS_VARIABLES) & set(os.environ):
        env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_VARIABLES}
        os.execve(sys.executable, [sys.executable, *sys.argv], env)


def torch_on_one_thread() -> Any:
    """PyTorch set to one thread, or None when it is not installed; then ``gc.freeze()``.

    Freezing keeps the objects torch made at import out of the scalar engines'
    garbage collections.

    Example:
        >>> torch = torch_on_one_thread()
        >>> torch is None or torch.get_num_threads() == 1
        True
    """
    try:
        import torch
    except ImportError:
        torch = None
    else:
        torch.set_num_threads(1)
    gc.freeze()
    return torch
