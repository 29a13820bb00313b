"""Optimizers with PyTorch's update rules: ``SGD`` (momentum, Nesterov, weight decay), ``Adam``,
``RMSprop``.

An optimizer updates ``data`` of the parameter Values in place (the nodes, their
labels and their place in later graphs stay the same). Every ``step`` records, per
scalar, the old value, the gradient, the optimizer's state and the new value;
``report()`` prints that as the homework writes a step.

SGD with momentum (P17): V_t = beta V_{t-1} + g_t (V_1 = g_1), x_t = x_{t-1} - lr V_t.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Tensor, Value
from autograd.compiler.place import Place
from autograd.mode import tracing


def _as_tensors(params: Any, name: str) -> list[Tensor]:
    """The parameters as a list of Tensors; a clear TypeError or ValueError otherwise."""
    needs = (
        f"{name}: params must be an iterable of Parameters, Tensors or Values, such as "
        "model.parameters()"
    )
    if isinstance(params, (Tensor, Value, str, bytes, dict)) or not isinstance(params, Iterable):
        what = type(params).__name__
        hint = "; pass model.parameters()" if hasattr(params, "parameters") else ""
        if isinstance(params, (Tensor, Value)):
            hint = "; wrap a single one in a list: [x]"
        raise TypeError(f"{needs}, got a {what}{hint}")
    params = list(params)
    if not params:
        raise ValueError(f"{name}: optimizer got an empty parameter list")
    out = []
    for i, p in enumerate(params):
        if isinstance(p, Tensor):
            out.append(p)
        elif isinstance(p, Value):
            out.append(Tensor.wrap(np.array(p, dtype=object)))
        else:
            raise TypeError(f"{needs}, got a {type(p).__name__} at position {i}")
    return out


class Optimizer:
    """Base class: holds the parameters, ``zero_grad``, ``step``, ``state_dict``, ``report``.

    ``params`` is an iterable of Parameters, Tensors or Values (``model.parameters()``);
    a Module, a single Tensor, an empty list or a Value given twice raise. The
    parameters' Values are gathered once into one flat list, so a step reads
    every value and gradient into one array, updates it with a few numpy calls
    (``_update``, defined by subclasses) and writes the new values back. After a
    compiled step has kept them in a bank (``autograd/compiler/banks.py``), those reads and
    writes are numpy copies too.

    Example:
        >>> class Halve(Optimizer):
        ...     def _update(self, x, g, state):
        ...         return x / 2
        >>> x = Value(3.0)
        >>> Halve([x], {}).step(); x.data
        1.5
    """

    state_names: tuple[str, ...] = ()

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        name = type(self).__name__
        self.params = _as_tensors(params, name)
        self.defaults = dict(defaults)
        for key in ("lr", "eps", "momentum", "weight_decay", "alpha"):
            if defaults.get(key, 0.0) < 0:
                raise ValueError(f"{name}: {key} must be >= 0, got {defaults[key]}")
        self._values = _distinct_values(self.params, name)
        self._place = Place(self._values)  # their numbers, in bulk (a bank after compile)
        self._bounds = np.cumsum([0] + [p.size for p in self.params])
        self._flat_state: dict[str, Any] = {}
        self.steps = 0
        self._last: tuple | None = None

    @property
    def state(self) -> list[dict[str, Any]]:
        """Per-parameter state: views into the flat state arrays (``V``, ``m``, ``v``...).

        Example:
            >>> a, b = Value(1.0), Value(2.0); a.grad, b.grad = 1.0, 3.0
            >>> opt = SGD([a, b], lr=0.1, momentum=0.9); opt.step()
            >>> [s["V"].tolist() for s in opt.state]
            [[1.0], [3.0]]
        """
        return [
            {k: (v[a:b] if isinstance(v, np.ndarray) else v) for k, v in self._flat_state.items()}
            for a, b in zip(self._bounds[:-1], self._bounds[1:])
        ]

    def zero_grad(self) -> None:
        """Set the gradient of every parameter Value to 0.

        Example:
            >>> x = Value(1.0); x.grad = 2.0
            >>> SGD([x], lr=0.1).zero_grad(); x.grad
            0.0
        """
        self._place.fill_grads(0.0)

    def _update(self, x: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        raise NotImplementedError

    def _descent_gradient(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The gradient an update follows: negated with ``maximize``, plus ``weight_decay`` x."""
        if self.defaults.get("maximize"):
            g = -g
        if self.defaults.get("weight_decay"):
            g = g + self.defaults["weight_decay"] * x
        return g

    def step(self) -> None:
        """Apply one update to every parameter from its current ``grad``.

        Example:
            >>> x = Value(1.0); x.grad = 2.0
            >>> SGD([x], lr=0.1).step(); round(x.data, 6)
            0.8
        """
        if tracing():
            raise RuntimeError(
                f"{type(self).__name__}.step() inside a function compile() is tracing: a "
                "compiled step computes the loss only. Compile the forward pass and train "
                "outside it: step = compile(lambda X, y: loss_fn(model(X), y)); then "
                "optimizer.zero_grad(); loss = step(X, y); loss.backward(); optimizer.step()"
            )
        place = self._place
        x, g = place.read_data(), place.read_grads()
        with np.errstate(all="ignore"):  # IEEE results, as the engine
            new = self._update(x, g, self._flat_state)
        self.steps += 1
        state = self._flat_state
        self._last = (x, g, {k: state[k].copy() for k in self.state_names if k in state}, new)
        place.write_data(new)

    @property
    def last_step(self) -> list[tuple[str, float, float, dict[str, float], float]]:
        """The last step per scalar: (label, old value, gradient, state, new value).

        Example:
            >>> x = Value(1.0, label="x"); x.grad = 2.0
            >>> opt = SGD([x], lr=0.25); opt.step(); opt.last_step
            [('x', 1.0, 2.0, {}, 0.5)]
        """
        if self._last is None:
            return []
        x, g, state, new = self._last
        rows = []
        for index, (a, b) in enumerate(zip(self._bounds[:-1], self._bounds[1:])):
            for i in range(a, b):
                v = self._values[i]
                label = v.label if v.label is not None else f"param{index}[{i - a}]"
                shown = {k: float(s[i]) for k, s in state.items()}
                rows.append((label, float(x[i]), float(g[i]), shown, float(new[i])))
        return rows

    def state_dict(self) -> dict[str, Any]:
        """Hyper-parameters, step count and per-parameter state arrays (copies).

        Example:
            >>> x = Value(1.0); x.grad = 2.0
            >>> opt = SGD([x], lr=0.1, momentum=0.9); opt.step()
            >>> state = opt.state_dict()
            >>> state["steps"], state["state"][0]["V"].tolist(), state["defaults"]["momentum"]
            (1, 2.0, 0.9)
        """
        return {
            "defaults": dict(self.defaults),
            "steps": self.steps,
            "state": [
                {
                    k: (v.reshape(p.shape).copy() if isinstance(v, np.ndarray) else v)
                    for k, v in s.items()
                }
                for p, s in zip(self.params, self.state)
            ],
        }

    def report(self) -> str:
        """The last step, one line per scalar: value, gradient, state and new value.

        Example:
            >>> x = Value(1.0, label="x")
            >>> opt = SGD([x], lr=1.0, momentum=0.5)
            >>> x.grad = 0.5; opt.step()
            >>> print(opt.report())
            SGD step 1 (lr=1.0, momentum=0.5)
              x: 1 - lr * V = 0.5   (grad 0.5, V 0.5)
        """
        shown = ", ".join(f"{k}={v}" for k, v in self.defaults.items() if v or k == "lr")
        lines = [f"{type(self).__name__} step {self.steps} ({shown})"]
        for label, old, grad, state, new in self.last_step:
            extra = "".join(f", {k} {v:.6g}" for k, v in state.items())
            lines.append(
                f"  {label}: {old:.6g} - {self._rule} = {new:.6g}   (grad {grad:.6g}{extra})"
            )
        return "\n".join(lines)

    describe = report
    _rule = "lr * g"

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.defaults.items())
        return f"{type(self).__name__}({args})"


def _distinct_values(params: list[Tensor], name: str) -> list[Value]:
    """Every parameter Value once, in order; a Value held twice would be stepped twice."""
    values = [v for p in params for v in p.values.flat]
    if len(set(map(id, values))) != len(values):
        seen: dict[int, int] = {}
        for index, p in enumerate(params):
            for v in p.values.flat:
                if id(v) in seen:
                    first = seen[id(v)]
                    what = f"the Value {v.label!r}" if v.label else "a Value"
                    where = (
                        f"parameter {index + 1} holds {what} twice"
                        if first == index
                        else f"parameters {first + 1} and {index + 1} both hold {what}"
                    )
                    raise ValueError(
                        f"{name}: {where}; it would be stepped twice: pass each parameter once"
                    )
                seen[id(v)] = index
    return values


class SGD(Optimizer):
    """Stochastic gradient descent with PyTorch's momentum rule.

    g = ±grad + weight_decay x (− with ``maximize``); V = momentum V + (1 - dampening) g
    (V = g on the first step); with ``nesterov`` the update uses g + momentum V,
    else V; x <- x - lr * update.

    Example (P17, y = x^2 / 4 from x = 1: momentum 1/2, lr 1 reaches 0 in two steps):
        >>> x = Value(1.0, label="x")
        >>> opt = SGD([x], lr=1.0, momentum=0.5)
        >>> for _ in range(2):
        ...     opt.zero_grad(); (x * x / 4).backward(); opt.step()
        >>> x.data
        0.0
    """

    state_names = ("V",)

    def __init__(
        self,
        params: Iterable[Any],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: nesterov needs momentum > 0 and dampening = 0")
        super().__init__(
            params,
            dict(
                lr=lr,
                momentum=momentum,
                dampening=dampening,
                nesterov=nesterov,
                weight_decay=weight_decay,
                maximize=maximize,
            ),
        )
        self._rule = "lr * V" if momentum else "lr * g"

    def _update(self, x: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        d = self.defaults
        g = self._descent_gradient(x, g)
        if d["momentum"]:
            if "V" not in state:
                state["V"] = g.copy()
            else:
                state["V"] = d["momentum"] * state["V"] + (1 - d["dampening"]) * g
            g = g + d["momentum"] * state["V"] if d["nesterov"] else state["V"]
        return x - d["lr"] * g


class Adam(Optimizer):
    """Adam as PyTorch: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
    x -= lr/(1-b1^t) m / (sqrt(v)/sqrt(1-b2^t) + eps).

    ``amsgrad`` divides by the running maximum of v instead of v; ``maximize``
    ascends (g = -grad); ``weight_decay`` adds weight_decay x to g.

    Example:
        >>> x = Value(1.0, label="x")
        >>> opt = Adam([x], lr=0.1)
        >>> x.grad = 2.0; opt.step()
        >>> round(x.data, 6)
        0.9
    """

    state_names = ("m", "v")
    _rule = "lr * m_hat / (sqrt(v_hat) + eps)"

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        betas = tuple(betas)
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Adam: betas[{i}] must be in [0, 1), got {beta}")
        super().__init__(
            params,
            dict(
                lr=lr,
                betas=betas,
                eps=eps,
                weight_decay=weight_decay,
                amsgrad=amsgrad,
                maximize=maximize,
            ),
        )

    def _update(self, x: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        d = self.defaults
        b1, b2 = d["betas"]
        g = self._descent_gradient(x, g)
        state["step"] = t = state.get("step", 0) + 1
        m = state.get("m", np.zeros_like(x))
        state["m"] = m = m + (1 - b1) * (g - m)  # torch's lerp
        state["v"] = v = b2 * state.get("v", np.zeros_like(x)) + (1 - b2) * g * g
        if d["amsgrad"]:
            state["v_max"] = v = np.maximum(state.get("v_max", np.zeros_like(x)), v)
        denominator = np.sqrt(v) / math.sqrt(1 - b2**t) + d["eps"]
        return x - (d["lr"] / (1 - b1**t)) * m / denominator


class RMSprop(Optimizer):
    """RMSprop as PyTorch: v = alpha v + (1-alpha) g^2, x -= lr g / (sqrt(v) + eps).

    ``centered`` subtracts the squared running mean of g; ``momentum`` keeps a
    buffer B = momentum B + g / (sqrt(v) + eps) and steps by lr B; ``maximize``
    ascends (g = -grad).

    Example:
        >>> x = Value(1.0, label="x")
        >>> opt = RMSprop([x], lr=0.01, alpha=0.0)
        >>> x.grad = 4.0; opt.step()
        >>> round(x.data, 6)
        0.99
    """

    state_names = ("v",)
    _rule = "lr * g / (sqrt(v) + eps)"

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            dict(
                lr=lr,
                alpha=alpha,
                eps=eps,
                weight_decay=weight_decay,
                momentum=momentum,
                centered=centered,
                maximize=maximize,
            ),
        )

    def _update(self, x: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        d = self.defaults
        a = d["alpha"]
        g = self._descent_gradient(x, g)
        state["v"] = a * state.get("v", np.zeros_like(x)) + (1 - a) * g * g
        average = state["v"]
        if d["centered"]:
            g_avg = state.get("g_avg", np.zeros_like(x))
            state["g_avg"] = g_avg = g_avg + (1 - a) * (g - g_avg)  # torch's lerp
            average = average - g_avg * g_avg
        denominator = np.sqrt(average) + d["eps"]
        if d["momentum"] > 0:
            state["B"] = d["momentum"] * state.get("B", np.zeros_like(x)) + g / denominator
            return x - d["lr"] * state["B"]
        return x - d["lr"] * g / denominator


__all__ = ["Optimizer", "SGD", "Adam", "RMSprop"]
