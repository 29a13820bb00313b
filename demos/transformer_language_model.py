"""P8: a one-head transformer as the language model of P6 (same prompt and W_yh).

Word embeddings of P6 plus positions p_t = [0, 0, t - 1]; one head of scaled
dot-product attention (``nn.attention.SelfAttention(3, 2)``, scale 1/sqrt(2)) with
W_Q = W_K = W_V = [[0.1, 0], [0, -0.1], [0, 0.1]]; no feed-forward, no residual;
the last token's output z_8 goes through W_yh.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start
from demos.rnn_sentiment import EMBEDDINGS, PROMPT, VOCAB, W_YH
from nn.attention import SelfAttention
from nn.positional import encode_positions

TITLE = "P8: one-head transformer language model on the P6 prompt (attention, positions)"

W = [[0.1, 0.0], [0.0, -0.1], [0.0, 0.1]]


class OneHeadLanguageModel(nn.Module):
    """Embedding + positions [0, 0, t-1] -> one attention head -> W_yh on the last row.

    Example:
        >>> model = OneHeadLanguageModel()
        >>> np.round(model(list(range(8))).data[8:], 3).tolist()
        [-0.464, 0.464]
    """

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(10, 3)
        self.attention = SelfAttention(3, 2, scale=1.0 / np.sqrt(2.0))
        self.out = nn.Linear(2, 10, bias=False)
        self.load_state_dict(
            {
                "embed.weight": EMBEDDINGS,
                "attention.W_Q": W,
                "attention.W_K": W,
                "attention.W_V": W,
                "out.weight": W_YH,
            }
        )
        self.z: Tensor | None = None

    def forward(self, tokens: list[int]) -> Tensor:
        T = len(tokens)
        positions = Tensor(np.c_[np.zeros((T, 2)), np.arange(T)], label="p")  # [0, 0, t - 1]
        x = encode_positions(self.embed(tokens), positions).name("x")  # (T, 3)
        self.z = self.attention(x).name("z")  # (T, 2)
        for name in ("queries", "keys", "values"):  # label the head's Q, K, V for the picture
            getattr(self.attention, name).name(name[0].upper())
        self.attention.weights.name("A")
        return self.out(self.z[-1]).name("logits")  # (10,)


def main(argv: list[str] | None = None) -> int:
    """Print the attention of the last token, z_8, the logits; write the SVG."""
    out = start(argv, TITLE)
    heading("Givens")
    show("W_Q = W_K = W_V", W)
    print("x_t = embedding(word_t) + [0, 0, t - 1]; scores q_8 . k_j / sqrt(2)")
    model = OneHeadLanguageModel()
    logits = model([VOCAB.index(w) for w in PROMPT])
    att = model.attention
    heading("Queries, keys and values")
    show("q_8 = k_8 = v_8", att.queries.data[-1])
    show("scores of the last token", att.queries.data[-1] @ att.keys.data.T / np.sqrt(2))
    heading("Attention of the last token")
    p8 = att.weights.data[-1]
    show("p_8", p8, digits=3)
    check(
        np.allclose(np.round(p8, 3), [0.101, 0.136, 0.112, 0.118, 0.124, 0.130, 0.136, 0.143]),
        "p_8 = [0.101, 0.136, 0.112, 0.118, 0.124, 0.130, 0.136, 0.143]",
    )
    z8 = model.z.data[-1]
    show("z_8 = sum_j p_8j v_j", z8, digits=3)
    good, bad = logits[8], logits[9]
    show("logit(good), logit(bad)", [good.data, bad.data], digits=3)
    check(
        np.allclose(np.round([good.data, bad.data], 3), [-0.464, 0.464]),
        "logit(good) = -0.464 < logit(bad) = 0.464: negative, as the RNN said",
    )
    margin = scalar(good - bad, "logit(good) - logit(bad)")
    margin.backward()
    show("d margin / d W_Q", att.W_Q.grad)
    save_graph(
        margin,
        out,
        "transformer_language_model",
        title="P8: logit(good) - logit(bad) of the one-head model (collapsed per tensor: "
        "p, x, Q, K, V, score, A, z, logits)",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
