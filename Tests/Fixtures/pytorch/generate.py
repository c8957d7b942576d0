#!/usr/bin/env python3
"""Regenerates the PyTorch reference fixtures in this folder (manifest.json and .npy files).

Run from anywhere: `python3 Tests/Fixtures/pytorch/generate.py`. On first use it creates a
virtual environment in Tests/Fixtures/.venv (ignored by git), installs torch 2.15.0 and
numpy there from PyPI, and re-runs itself inside it. Everything is seeded, so a rerun writes
the same files. See README.md for the case format.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE.parent / ".venv"
TORCH_VERSION = "2.15.0"


def ensure_venv():
    """Creates the venv with torch when needed and re-executes this script inside it."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not python.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    probe = subprocess.run(
        [str(python), "-c", "import torch, numpy; print(torch.__version__)"],
        capture_output=True, text=True)
    if probe.returncode != 0 or not probe.stdout.startswith(TORCH_VERSION):
        subprocess.check_call(
            [str(python), "-m", "pip", "install", f"torch=={TORCH_VERSION}", "numpy"])
    os.execv(str(python), [str(python), str(Path(__file__).resolve())] + sys.argv[1:])


ensure_venv()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.manual_seed(0)
GEN = torch.Generator().manual_seed(1234)
F64, F32 = torch.float64, torch.float32
NAN, INF = float("nan"), float("inf")
cases = []


def randn(*shape, dtype=F64):
    return torch.randn(tuple(shape), generator=GEN, dtype=F64).to(dtype)


def save(name, tensor):
    np.save(HERE / name, tensor.detach().cpu().numpy(), allow_pickle=False)
    return name


def apply_view(t, view):
    """The non-contiguous views the Swift test applies to a stored input (see README)."""
    if view is None:
        return t
    if view == "T":
        return t.t()
    if view == "step2":
        return t[::2]
    if view.startswith("expand:"):
        return t.expand(*json.loads(view[len("expand:"):]))
    raise ValueError(view)


def add(name, attrs, inputs, fn, grad=None, views=None, upstream=True):
    """Runs fn on the (viewed) inputs, with a seeded random upstream gradient, and records
    the case. `grad` names the inputs that get gradients (default: every floating one)."""
    views = views or {}
    leaves = {k: v.clone().requires_grad_(v.is_floating_point() and (grad is None or k in grad))
              for k, v in inputs.items()}
    args = {k: apply_view(v, views.get(k)) for k, v in leaves.items()}
    out = fn(*args.values())  # positionally, in the order of `inputs`
    entry = {"name": name, "inputs": {k: save(f"{name}.in.{k}.npy", v) for k, v in inputs.items()},
             "attrs": dict(attrs, **({"views": views} if views else {})),
             "output": save(f"{name}.out.npy", out)}
    wants = [k for k, v in leaves.items() if v.requires_grad]
    if upstream and out.is_floating_point() and wants and out.requires_grad:
        up = randn(*out.shape, dtype=out.dtype)
        grads = torch.autograd.grad(out, [leaves[k] for k in wants], up, allow_unused=True)
        entry["upstream"] = save(f"{name}.upstream.npy", up)
        entry["grads"] = {}
        for k, g in zip(wants, grads):
            g = torch.zeros_like(leaves[k]) if g is None else g
            entry["grads"][k] = save(f"{name}.grad.{k}.npy", g)
    else:
        entry["upstream"] = None
        entry["grads"] = {}
    cases.append(entry)


# MARK: - The original cases (names, attributes and shapes kept)

def binary_cases():
    fns = {"add": torch.add, "sub": torch.sub, "mul": torch.mul}
    for op, fn in fns.items():
        for suffix, sa, sb in [("same", (3, 4), (3, 4)), ("bcast_col_row", (3, 1), (1, 4)),
                               ("bcast_rank", (2, 3, 4), (4,)), ("scalar0d", (3, 4), ())]:
            add(f"{op}_{suffix}", {"op": op}, {"a": randn(*sa), "b": randn(*sb)},
                lambda a, b, fn=fn: fn(a, b))
    add("div_bcast", {"op": "div"}, {"a": randn(3, 4), "b": randn(1, 4).abs() + 0.5},
        lambda a, b: a / b)
    add("div_same", {"op": "div"}, {"a": randn(5), "b": randn(5).abs() + 0.5}, lambda a, b: a / b)


def unary_cases():
    positive = {"log", "sqrt"}
    for op in ["neg", "exp", "log", "log1p", "sqrt", "abs", "sin", "cos", "tanh", "relu"]:
        a = randn(3, 4)
        if op in positive:
            a = a.abs() + 0.5
        if op == "log1p":
            a = a.abs()
        add(op, {"op": op}, {"a": a}, lambda a, op=op: getattr(torch, op)(a))
    add("pow_2_5", {"op": "pow", "exponent": 2.5}, {"a": randn(3, 4).abs() + 0.5},
        lambda a: a.pow(2.5))
    add("pow_2", {"op": "pow", "exponent": 2}, {"a": randn(3, 4)}, lambda a: a.pow(2))
    add("clamp", {"op": "clamp", "min": -0.5, "max": 0.5}, {"a": randn(4, 5)},
        lambda a: a.clamp(-0.5, 0.5))
    for op in ["maximum", "minimum"]:
        add(op, {"op": op}, {"a": randn(3, 4), "b": randn(3, 4)},
            lambda a, b, op=op: getattr(torch, op)(a, b))
    add("where", {"op": "where"}, {"c": randn(3, 4) > 0, "a": randn(3, 4), "b": randn(1, 4)},
        lambda c, a, b: torch.where(c, a, b))
    add("masked_fill", {"op": "masked_fill", "value": -3.0},
        {"a": randn(3, 4), "m": randn(3, 4) > 0}, lambda a, m: a.masked_fill(m, -3.0))
    add("gt", {"op": "gt"}, {"a": randn(3, 4), "b": randn(4)}, lambda a, b: a > b)


def reduction_cases():
    add("sum_all", {"op": "sum"}, {"a": randn(3, 4)}, lambda a: a.sum())
    for keep in [True, False]:
        add(f"sum_dim1_keep{keep}", {"op": "sum", "dim": 1, "keepdim": keep}, {"a": randn(3, 4)},
            lambda a, keep=keep: a.sum(1, keepdim=keep))
        add(f"mean_dim0_keep{keep}", {"op": "mean", "dim": 0, "keepdim": keep},
            {"a": randn(3, 4)}, lambda a, keep=keep: a.mean(0, keepdim=keep))
        add(f"max_dim1_keep{keep}", {"op": "max", "dim": 1, "keepdim": keep}, {"a": randn(3, 4)},
            lambda a, keep=keep: a.max(1, keepdim=keep).values)
    add("mean_all", {"op": "mean"}, {"a": randn(3, 4)}, lambda a: a.mean())
    add("var_dim0_unbiased", {"op": "var", "dim": 0, "keepdim": True, "unbiased": True},
        {"a": randn(5, 3)}, lambda a: a.var(0, keepdim=True))
    add("std_dim0_unbiased", {"op": "std", "dim": 0, "keepdim": True, "unbiased": True},
        {"a": randn(5, 3)}, lambda a: a.std(0, keepdim=True))
    add("std_all_unbiased", {"op": "std", "unbiased": True}, {"a": randn(5, 3)},
        lambda a: a.std())
    add("min_dim0", {"op": "min", "dim": 0, "keepdim": False}, {"a": randn(3, 4)},
        lambda a: a.min(0).values)
    add("argmax_dim1", {"op": "argmax", "dim": 1}, {"a": randn(5, 4)}, lambda a: a.argmax(1))
    add("norm_all", {"op": "norm"}, {"a": randn(3, 4)}, lambda a: a.norm())
    add("norm_dim1_keep", {"op": "norm", "dim": 1, "keepdim": True}, {"a": randn(3, 4)},
        lambda a: a.norm(dim=1, keepdim=True))


def shape_cases():
    add("matmul_2d", {"op": "matmul"}, {"a": randn(3, 4), "b": randn(4, 5)},
        lambda a, b: a @ b)
    add("matmul_aT_b", {"op": "matmul", "transpose_a": True}, {"a": randn(4, 3), "b": randn(4, 5)},
        lambda a, b: a.t() @ b)
    add("matmul_a_bT", {"op": "matmul", "transpose_b": True}, {"a": randn(3, 4), "b": randn(5, 4)},
        lambda a, b: a @ b.t())
    add("matmul_matvec", {"op": "matmul"}, {"a": randn(3, 4), "b": randn(4)},
        lambda a, b: a @ b)
    add("matmul_gram", {"op": "matmul", "note": "same tensor on both sides"}, {"a": randn(6, 3)},
        lambda a: a @ a.t())
    add("transpose", {"op": "transpose"}, {"a": randn(3, 4)}, lambda a: a.t())
    add("reshape", {"op": "reshape", "shape": [2, 6]}, {"a": randn(3, 4)},
        lambda a: a.reshape(2, 6))
    add("unsqueeze1", {"op": "unsqueeze", "dim": 1}, {"a": randn(3, 4)}, lambda a: a.unsqueeze(1))
    add("squeeze1", {"op": "squeeze", "dim": 1}, {"a": randn(3, 1, 4)}, lambda a: a.squeeze(1))
    add("expand", {"op": "expand", "shape": [3, 4]}, {"a": randn(1, 4)}, lambda a: a.expand(3, 4))
    add("permute", {"op": "permute", "dims": [2, 0, 1]}, {"a": randn(2, 3, 4)},
        lambda a: a.permute(2, 0, 1))
    add("slice_rows", {"op": "slice", "dim": 0, "start": 1, "end": 3}, {"a": randn(4, 3)},
        lambda a: a[1:3])
    add("slice_cols", {"op": "slice", "dim": 1, "start": 1, "end": 3}, {"a": randn(4, 3)},
        lambda a: a[:, 1:3])
    y = torch.randint(0, 5, (6,), generator=GEN)
    add("index_rows_labels", {"op": "advanced_index"}, {"a": randn(6, 5), "y": y},
        lambda a, y: a[torch.arange(6), y])
    add("gather_dim1", {"op": "gather", "dim": 1}, {"a": randn(6, 5), "y": y},
        lambda a, y: a.gather(1, y.unsqueeze(1)))
    add("cat_dim0", {"op": "cat", "dim": 0}, {"a": randn(2, 3), "b": randn(4, 3)},
        lambda a, b: torch.cat([a, b], 0))
    add("cat_dim1", {"op": "cat", "dim": 1}, {"a": randn(3, 2), "b": randn(3, 4)},
        lambda a, b: torch.cat([a, b], 1))
    add("stack_dim0", {"op": "stack", "dim": 0}, {"a": randn(3, 2), "b": randn(3, 2)},
        lambda a, b: torch.stack([a, b], 0))
    add("triu_1", {"op": "triu", "diagonal": 1}, {"a": randn(4, 4)}, lambda a: a.triu(1))
    add("tril_0", {"op": "tril", "diagonal": 0}, {"a": randn(4, 4)}, lambda a: a.tril(0))


# MARK: - The five problems' functions, written with PyTorch

def standardize(x):
    return (x - x.mean(0, keepdim=True)) / x.std(0, keepdim=True)


def cosine(x):
    unit = x / x.norm(dim=1, keepdim=True)
    return unit @ unit.t()


def problem_cases():
    add("p1_standardize", {"problem": 1}, {"X": randn(40, 6) * 3 + 1}, lambda X: standardize(X))
    add("p1_cosine", {"problem": 1}, {"X": randn(40, 6)}, lambda X: cosine(standardize(X)))
    add("p1_loss", {"problem": 1, "note": "gradient of the loss itself: upstream multiplies a scalar"},
        {"X": randn(40, 6)}, lambda X: cosine(standardize(X)).triu(1).sum() / (40 * 39 / 2))
    n = 64
    X, w = randn(n, 5), randn(5, 1)
    add("p2_ridge_loss", {"problem": 2, "lambda": 0.01},
        {"X": X, "y": X @ w + 0.1 * randn(n, 1), "w": randn(5, 1), "b": randn(1)},
        lambda X, y, w, b: ((X @ w + b - y) ** 2).mean() + 0.01 * (w * w).sum())
    z = torch.tensor([-1000.0, -88, -30, -1, 0, 1, 30, 88, 1000], dtype=F64)
    # PyTorch's own sigmoid and BCE from logits with their autograd gradients, which are the
    # exact derivatives everywhere, z = 0 included (sigma'(0) = 1/4, dBCE/dz = (sigma(z) - y)/N).
    # A formula with |z| or relu would put its kink's subgradient in the fixture at z = 0.
    add("p3_sigmoid_extremes", {"problem": 3}, {"z": z}, torch.sigmoid)
    add("p3_bce_from_logits_extremes", {"problem": 3},
        {"z": z, "y": torch.tensor([0.0, 1, 0, 1, 0, 1, 0, 1, 0], dtype=F64)},
        lambda z, y: F.binary_cross_entropy_with_logits(z, y))
    add("p3_bce_from_probs", {"problem": 3},
        {"p": torch.rand(20, generator=GEN, dtype=F64) * 0.9 + 0.05,
         "y": (torch.rand(20, generator=GEN, dtype=F64) > 0.5).to(F64)},
        lambda p, y: -(y * p.clamp(1e-12, 1 - 1e-12).log()
                       + (1 - y) * (1 - p.clamp(1e-12, 1 - 1e-12)).log()).mean())
    logits = randn(8, 5)
    logits[:4] += 1000
    add("p4_softmax_large_logits", {"problem": 4}, {"logits": logits},
        lambda logits: torch.softmax(logits, 1))
    add("p4_cross_entropy", {"problem": 4},
        {"logits": randn(8, 5), "y": torch.randint(0, 5, (8,), generator=GEN)},
        lambda logits, y: F.cross_entropy(logits, y))
    add("p4_linear_ce", {"problem": 4},
        {"X": randn(16, 4), "y": torch.randint(0, 3, (16,), generator=GEN), "W": randn(4, 3),
         "b": randn(3)},
        lambda X, y, W, b: F.cross_entropy(X @ W + b, y))
    mlp = {"W1": randn(2, 64) * 0.5, "b1": randn(64) * 0.1, "W2": randn(64, 1) * 0.2,
           "b2": randn(1) * 0.1}

    def forward(X, W1, b1, W2, b2):
        return torch.relu(X @ W1 + b1) @ W2 + b2

    add("p5_forward", {"problem": 5}, dict({"X": randn(32, 2)}, **mlp), forward)
    Xl = randn(32, 2)
    add("p5_loss", {"problem": 5, "lambda": 0.001, "note": "weight decay on W1 and W2 only"},
        dict({"X": Xl, "y": torch.sin(Xl[:, :1]) + 0.1 * randn(32, 1)}, **mlp),
        lambda X, y, W1, b1, W2, b2: ((forward(X, W1, b1, W2, b2) - y) ** 2).mean()
        + 0.001 * ((W1 * W1).sum() + (W2 * W2).sum()))
    grads = {k: randn(*v.shape) * 2 for k, v in mlp.items()}
    total = float(torch.sqrt(sum((g * g).sum() for g in grads.values())))
    scale = 1.0 / (total + 1e-6)
    cases.append({
        "name": "p5_clip_global_norm",
        "attrs": {"problem": 5, "max_norm": 1.0, "eps": 1e-06, "total_norm": total},
        "inputs": {k: save(f"p5_clip.in.{k}.npy", g) for k, g in grads.items()},
        "output": None,
        "outputs": {k: save(f"p5_clip.out.{k}.npy", g * min(scale, 1.0))
                    for k, g in grads.items()}})


if __name__ == "__main__":
    sys.dont_write_bytecode = True  # no __pycache__ beside the fixtures
    sys.path.insert(0, str(HERE))
    import edge_cases  # noqa: E402  (the edge, view and dtype cases)

    for old in HERE.glob("*.npy"):
        old.unlink()
    binary_cases()
    unary_cases()
    reduction_cases()
    shape_cases()
    problem_cases()
    edge_cases.generate(add, randn)
    manifest = {
        "generator": f"PyTorch {torch.__version__}, float64 unless a case says otherwise",
        "convention": "grads[k] = d/d inputs[k] of sum(output * upstream); shapes as in the "
                      ".npy files; integer inputs are int64, masks are bool; attrs.views[k] "
                      "is a view applied to input k before the operation (T: transpose, "
                      "step2: every second row, expand:[shape]); grads are of the stored "
                      "input, through the view",
        "cases": cases,
    }
    # JSON has no NaN or infinity: such attributes are written as "nan", "inf" or "-inf".
    text = json.dumps(json.loads(json.dumps(manifest), parse_constant=lambda c: {
        "NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}[c]), indent=1, allow_nan=False)
    (HERE / "manifest.json").write_text(text + "\n")
    size = sum(p.stat().st_size for p in HERE.glob("*.npy"))
    print(f"{len(cases)} cases, {size / 1e6:.2f} MB of .npy")
