"""Tensors: n-d arrays of Values, with PyTorch's names for their operations.

``tensor`` holds the class (construction, indexing, shapes, backward); the ops on
elements and the reductions are mixed into it from the modules beside it.
"""

from autograd.tensors.tensor import Tensor, as_tensor, elementwise, matmul

__all__ = ["Tensor", "as_tensor", "elementwise", "matmul"]
