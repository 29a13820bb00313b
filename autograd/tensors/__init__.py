"""Tensors: n-d arrays of Values, with PyTorch's names for their operations.

``tensor`` holds the class (construction, labels, indexing, backward); ``elementwise``,
``reductions`` and ``shapes`` hold its ops, mixed into it without importing it.
"""

from autograd.tensors.tensor import Tensor, as_tensor, elementwise, matmul

__all__ = ["Tensor", "as_tensor", "elementwise", "matmul"]
