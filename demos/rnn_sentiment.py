"""P6: an RNN language model used as a sentiment classifier.

Prompt "<START> Awful plot and actors. The movie is [Z]": run a ReLU RNN
(``nn.RNN(3, 2, nonlinearity="relu", bias=False)``, W_hx given, W_hh = I, h_0 = 0)
over the 8 prompt tokens (``nn.Embedding``), read the next-word logits
W_yh h_8 (``nn.Linear(2, 10, bias=False)``) and predict + if P(good) >= P(bad).
"""

from __future__ import annotations

import nn
from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start

TITLE = "P6: RNN language model as a sentiment classifier (ReLU RNN, 8 steps, good vs bad)"

VOCAB = ["<START>", "Awful", "plot", "and", "actors.", "The", "movie", "is", "good", "bad"]
EMBEDDINGS = [
    [0, 0, 0],
    [0, -5, 0],
    [1, 0, 0],
    [0, 0, 0],
    [-1, 0, 0],
    [0, 0, 0],
    [-2, 0, 0],
    [0, 0, 0],
    [1, 2, 3],
    [-1, -2, -3],
]
W_HX = [[1.0, 1.0, 0.0], [0.0, -1.0, -1.0]]
W_HH = [[1.0, 0.0], [0.0, 1.0]]
W_YH = [[0, 0], [1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14], [1, -1], [-1, 1]]
PROMPT = VOCAB[:8]


class RNNLanguageModel(nn.Module):
    """Embedding -> ReLU RNN (no bias) -> linear next-word logits from the last state.

    Example:
        >>> model = RNNLanguageModel()
        >>> model(list(range(8))).data[8:].tolist()
        [-5.0, 5.0]
    """

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(10, 3)
        self.rnn = nn.RNN(3, 2, nonlinearity="relu", bias=False)
        self.out = nn.Linear(2, 10, bias=False)
        self.load_state_dict(
            {
                "embed.weight": EMBEDDINGS,
                "rnn.weight_ih_l0": W_HX,
                "rnn.weight_hh_l0": W_HH,
                "out.weight": W_YH,
            }
        )

    def forward(self, tokens: list[int]) -> Tensor:
        x = self.embed(tokens)  # (T, 3)
        _, h_n = self.rnn(x)  # h_n: (1, 2)
        return self.out(h_n[0])  # (10,)


def main(argv: list[str] | None = None) -> int:
    """Print the hidden states, logits, the prediction; write ``rnn_sentiment.svg``."""
    out = start(argv, TITLE)
    heading("Givens")
    for word, e in zip(VOCAB, EMBEDDINGS):
        print(f"  {word:8} {e}")
    show("W_hx", W_HX)
    show("W_hh", W_HH)
    print("h_t = ReLU(W_hx x_t + W_hh h_{t-1}), h_0 = 0")
    model = RNNLanguageModel()
    tokens = [VOCAB.index(w) for w in PROMPT]
    logits = model(tokens)
    heading("Hidden states")
    for t, (word, h) in enumerate(zip(PROMPT, model.rnn.hidden_states[1:]), 1):
        print(f"  h_{t} after {word!r:10} = {h.data.tolist()}")
    states = [h.data.tolist() for h in model.rnn.hidden_states[1:]]
    check(
        states == [[0, 0], [0, 5], [1, 5], [1, 5], [0, 5], [0, 5], [0, 5], [0, 5]],
        "h_1..h_8 = [0,0], [0,5], [1,5], [1,5], [0,5], [0,5], [0,5], [0,5]",
    )
    heading("Next-word logits W_yh h_8")
    good, bad = logits[8], logits[9]
    good.label, bad.label = "logit(good)", "logit(bad)"
    show("logit(good) = [1, -1] . h_8", good.data)
    show("logit(bad) = [-1, 1] . h_8", bad.data)
    probs = nn.functional.softmax(logits).data
    print(
        f"P(good) = {probs[8]:.3e}, P(bad) = {probs[9]:.3e} (softmax over all 10 words);"
        f" P(good)/P(bad) = e^(-5 - 5) = {probs[8] / probs[9]:.3e}"
    )
    prediction = 1 if probs[8] >= probs[9] else -1
    check(prediction == -1, "P(good) < P(bad): prediction -1 (negative)")
    margin = scalar(good - bad, "logit(good) - logit(bad)")
    margin.backward()
    show("d margin / d W_hx", model.rnn.weight_ih_l0.grad)
    save_graph(
        margin,
        out,
        "rnn_sentiment",
        title="P6: logit(good) - logit(bad) through 8 RNN steps, h_1 ... h_8 left to right",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
