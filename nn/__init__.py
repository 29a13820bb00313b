"""chalkgrad's nn: PyTorch-style layers built from scalar autograd Values.

Every parameter is a Tensor of leaf Values labelled by its dotted name
(``conv.weight[0,0,1]``), so graphs of whole networks can be drawn and stepped.

Example:
    >>> import nn
    >>> from autograd import Tensor
    >>> _ = nn.manual_seed(0)
    >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    >>> net(Tensor([1.0, 2.0])).shape, net.num_parameters()
    ((1,), 13)
"""

from nn import functional, init, optim
from nn.activation import ELU, GELU, LeakyReLU, ReLU, Sigmoid, SiLU, Softmax, Softplus, Tanh
from nn.attention import SelfAttention
from nn.containers import ModuleList
from nn.conv import Conv1d, Conv2d
from nn.cross_entropy import CrossEntropyLoss, NLLLoss
from nn.init import manual_seed
from nn.layers import Dropout, Embedding, Flatten, Linear, Sequential
from nn.loss import BCELoss, BCEWithLogitsLoss, MarginLoss, MSELoss
from nn.module import Module, Parameter
from nn.multihead import MultiHeadAttention, MultiheadAttention
from nn.normalization import LayerNorm
from nn.options import UnsupportedOptionError
from nn.pool import AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from nn.positional import (
    LearnedPositionalEncoding,
    RelativePositionBias,
    SinusoidalPositionalEncoding,
)
from nn.recurrent import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
from nn.state import IncompatibleKeys
from nn.summary import Summary, summary
from nn.transformer import TransformerBlock

__all__ = [
    "functional",
    "init",
    "optim",
    "summary",
    "Summary",
    "UnsupportedOptionError",
    "Module",
    "Parameter",
    "ModuleList",
    "IncompatibleKeys",
    "manual_seed",
    "Linear",
    "Sequential",
    "Flatten",
    "Dropout",
    "Embedding",
    "LayerNorm",
    "ReLU",
    "Tanh",
    "GELU",
    "SiLU",
    "Softplus",
    "Sigmoid",
    "ELU",
    "LeakyReLU",
    "Softmax",
    "Conv1d",
    "Conv2d",
    "MaxPool1d",
    "MaxPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "MSELoss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "NLLLoss",
    "MarginLoss",
    "RNNCell",
    "RNN",
    "LSTMCell",
    "LSTM",
    "GRUCell",
    "GRU",
    "SelfAttention",
    "MultiHeadAttention",
    "MultiheadAttention",
    "SinusoidalPositionalEncoding",
    "LearnedPositionalEncoding",
    "RelativePositionBias",
    "TransformerBlock",
]
