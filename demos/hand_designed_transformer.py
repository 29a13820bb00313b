"""P15: a one-head transformer with hand-designed weights, then the same model trained.

Tokens are feature vectors [s0, s1, s2, flag, pos0, pos1, pos2, pos3, 1]: a
one-hot symbol, a flag bit, a one-hot position and a constant 1 (d_model = 9).
The model is ``nn.attention.SelfAttention(9, d_k=1, d_v=3, scale=1)``; its
answer is the output row of the last token, read as the symbol's one-hot.

- Task (a), select by content: copy the symbol of the (one) flagged token.
  Hand design: q = 1 from the constant feature (W_Q[1, 0] = 1, the "1" row),
  k = 10 * flag (W_K[flag, 0] = 10), v = the symbol (W_V[s, :] = I).
- Task (b), select by position: copy the symbol of the first token.
  Hand design: the same but k = 10 * pos0 (W_K[pos0, 0] = 10).

Then the same module, randomly initialised, is trained on each task with
``nn.optim.Adam`` (MSE to the target one-hot) and its weights are printed beside
the hand-designed ones. Only W_Q W_K^T enters the scores, so the comparison is
made on the row of that matrix for the constant query feature.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor, compile
from demos.common import check, fmt, heading, progress, save_graph, scalar, show, start
from nn.attention import SelfAttention

TITLE = "P15: hand-designed one-head transformer (select by content / by position) vs trained"

T = 4
SYMBOLS = 3
FEATURES = ["s0", "s1", "s2", "flag", "pos0", "pos1", "pos2", "pos3", "1"]
D_MODEL = len(FEATURES)
FLAG, POS0, CONST = 3, 4, 8
TASKS = ("content", "position")


def make_batch(task: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` random sequences (n, T, 9) and their target one-hots (n, 3) for a task.

    Example:
        >>> x, y = make_batch("position", 2, np.random.default_rng(0))
        >>> x.shape, y.shape, bool((y == x[:, 0, :3]).all())
        ((2, 4, 9), (2, 3), True)
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    symbols = rng.integers(0, SYMBOLS, size=(n, T))
    x = np.zeros((n, T, D_MODEL))
    x[np.arange(n)[:, None], np.arange(T)[None, :], symbols] = 1.0
    flagged = rng.integers(0, T, size=n)
    x[np.arange(n), flagged, FLAG] = 1.0
    x[:, np.arange(T), POS0 + np.arange(T)] = 1.0
    x[:, :, CONST] = 1.0
    source = flagged if task == "content" else np.zeros(n, dtype=int)
    return x, np.eye(SYMBOLS)[symbols[np.arange(n), source]]


def hand_designed(task: str) -> dict[str, np.ndarray]:
    """The hand-designed W_Q (9, 1), W_K (9, 1), W_V (9, 3) for a task.

    Example:
        >>> float(hand_designed("content")["W_K"][3, 0])
        10.0
    """
    w_q, w_k, w_v = np.zeros((D_MODEL, 1)), np.zeros((D_MODEL, 1)), np.zeros((D_MODEL, SYMBOLS))
    w_q[CONST, 0] = 1.0  # every query is 1
    w_k[FLAG if task == "content" else POS0, 0] = 10.0  # the wanted key scores 10, others 0
    w_v[:SYMBOLS, :] = np.eye(SYMBOLS)  # the value is the symbol
    return {"W_Q": w_q, "W_K": w_k, "W_V": w_v}


def model(weights: dict[str, np.ndarray] | None = None, seed: int = 0) -> SelfAttention:
    """``SelfAttention(9, 1, 3, scale=1)``, random or loaded with ``weights``."""
    head = SelfAttention(D_MODEL, 1, SYMBOLS, scale=1.0, rng=np.random.default_rng(seed))
    if weights is not None:
        head.load_state_dict(weights)
    return head


def answer(head: SelfAttention, x: np.ndarray, labels: bool = False) -> Tensor:
    """The output row of the last token for each sequence: (n, 3).

    ``labels=True`` names the input ``x[n,t,i]`` and the head's ``Q``, ``K``, ``V``
    and attention ``A`` for the picture.

    Example:
        >>> x, _ = make_batch("content", 1, np.random.default_rng(0))
        >>> head = model(hand_designed("content"))
        >>> answer(head, x, labels=True).shape, head.queries[0, 0, 0].label
        ((1, 3), 'Q[0,0,0]')
    """
    out = head(Tensor(x, label="x" if labels else None))
    if labels:
        for name in ("queries", "keys", "values"):
            getattr(head, name).name(name[0].upper())
        head.weights.name("A")
    return out[:, -1, :]


def accuracy(head: SelfAttention, task: str, n: int = 64, seed: int = 99) -> float:
    """Fraction of fresh sequences whose argmax answer is the target symbol.

    Example:
        >>> accuracy(model(hand_designed("content")), "content")
        1.0
    """
    x, y = make_batch(task, n, np.random.default_rng(seed))
    return float(np.mean(answer(head, x).data.argmax(-1) == y.argmax(-1)))


def train(
    task: str, steps: int = 120, batch: int = 16, lr: float = 0.1, seed: int = 0
) -> tuple[SelfAttention, list[float]]:
    """Train a fresh head on ``task`` with Adam and MSE; returns the head and the losses.

    The training step is compiled (``autograd.compile``): traced once, then
    replayed with numpy on every batch, with the same numbers as eager mode.

    Example:
        >>> _, losses = train("content", steps=2)
        >>> len(losses)
        2
    """
    head = model(seed=seed)
    opt = nn.optim.Adam(head.parameters(), lr=lr)
    # Traced on the first batch, replayed on the others (same shapes): see autograd.compile.
    step = compile(lambda x, y: nn.functional.mse_loss(answer(head, x), y))
    rng = np.random.default_rng(seed + 1)
    losses = []
    bar = progress(steps, f"training ({task})")
    for _ in bar:
        x, y = make_batch(task, batch, rng)
        opt.zero_grad()
        loss = step(x, y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(loss=f"{losses[-1]:.4f}")
    return head, losses


def query_row(head: SelfAttention) -> np.ndarray:
    """How the last token's query scores each key feature: (W_Q[1] + W_Q[pos3]) W_K^T.

    Every last token has the constant feature and pos3 set, so this is the part
    of its query common to all sequences (its symbol adds a little more).
    """
    q = head.W_Q.data[CONST] + head.W_Q.data[POS0 + T - 1]  # (1,)
    return head.W_K.data @ q  # (9,)


def print_side_by_side(hand: SelfAttention, learned: SelfAttention) -> None:
    """Hand-designed and learned weights, one feature per line."""
    hq, lq = query_row(hand), query_row(learned)
    print(
        f"  {'feature':8} {'hand W_K':>9} {'learned W_K':>12} {'hand q_last W_K^T':>22} "
        f"{'learned':>8}   hand W_V -> learned W_V"
    )
    for i, name in enumerate(FEATURES):
        print(
            f"  {name:8} {hand.W_K.data[i, 0]:9.2f} {learned.W_K.data[i, 0]:12.2f} "
            f"{hq[i]:22.2f} {lq[i]:8.2f}   {fmt(hand.W_V.data[i], 1)} -> "
            f"{fmt(learned.W_V.data[i], 2)}"
        )


def main(argv: list[str] | None = None) -> int:
    """Hand-design, evaluate, train, compare; write ``hand_designed_transformer.svg``."""
    out = start(argv, TITLE)
    heading("Toy tasks")
    print("token features:", ", ".join(FEATURES))
    x, y = make_batch("content", 1, np.random.default_rng(5))
    show("a sequence (rows = tokens)", x[0])
    print(
        f"(a) content target (symbol of the flagged token): {fmt(y[0])}; "
        f"(b) position target (symbol of token 1): {fmt(x[0, 0, :3])}"
    )
    results = {}
    for task in TASKS:
        heading(f"Task ({'a' if task == 'content' else 'b'}): select by {task}")
        hand = model(hand_designed(task))
        hand_accuracy = accuracy(hand, task)
        show("hand-designed accuracy", hand_accuracy)
        answer(hand, x)
        show("hand-designed attention of the last token", hand.weights.data[0, -1], digits=4)
        learned, losses = train(task)
        learned_accuracy = accuracy(learned, task)
        print(f"trained: loss {losses[0]:.4f} -> {losses[-1]:.2e}")
        show("trained accuracy", learned_accuracy)
        print_side_by_side(hand, learned)
        results[task] = (hand_accuracy, learned_accuracy)
        wanted = FLAG if task == "content" else POS0
        check(
            int(np.argmax(query_row(learned))) == wanted,
            f"the learned query scores {FEATURES[wanted]} highest, as the hand design does",
        )
    check(all(h == 1.0 for h, _ in results.values()), "hand-designed weights solve both tasks")
    check(all(a >= 0.9 for _, a in results.values()), "the trained head learns both (>= 90%)")
    print("The scale differs from the hand design (no need for 10 once the softmax is sharp")
    print("enough) and features that never change the answer drift freely.")
    hand = model(hand_designed("content"))
    xs, ys = make_batch("content", 1, np.random.default_rng(5))
    loss = scalar(
        nn.functional.mse_loss(answer(hand, xs, labels=True), Tensor(ys, label="target")), "loss"
    )
    loss.backward()
    save_graph(
        loss,
        out,
        "hand_designed_transformer",
        title="P15: hand-designed head on one content-task sequence "
        "(collapsed per tensor: x, Q, K, V, A)",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
