"""The five benchmark workloads of shared/spec/workloads.md in PyTorch CPU eager.

Run by `scripts/bench --compare`, which alternates it with the Swift bench. Prints one JSON
line per workload, the best of `--repeats` runs, each timed from data already in memory to
the last figure computed, like the Swift bench.

Each workload does the same work as the reference solution the Swift bench runs: the same
sizes, hyper-parameters and operations (the same stable BCE from logits, the same
cross-entropy, the same per-epoch accuracy and MSE figures), so that the ratio measures
the libraries, not two different programs. W1 comes in three forms: the seed's literal
form (S divided by the outer product of the norms, then a gather of `triu_indices`), and
two of PyTorch's better forms (rows normalized first, then `triu(1).sum()` or a boolean
mask).

    python scripts/bench_pytorch.py [--workload W3] [--repeats 3] [--threads 2]
"""

import argparse
import json
import math
import time

import torch


def best(repeats, body):
    """Best wall time of `repeats` runs of `body`, in seconds, with the last run's result."""
    fastest = math.inf
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = body()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, result


def emit(**fields):
    print(json.dumps(fields), flush=True)


# W1 --------------------------------------------------------------------------------------

N1, D1 = 4000, 256


def standardize(x):
    return (x - x.mean(dim=0, keepdim=True)) / x.std(dim=0, keepdim=True)


def w1_literal(x):
    # As the seed writes it: S = (Xs·Xsᵀ) / (‖xᵢ‖‖xⱼ‖), loss = mean of S[triu_indices]. The
    # indices are built inside the timing, as the seed does (about 0.06 s of its 0.5 s).
    xs = standardize(x)
    norms = xs.norm(dim=1)
    s = (xs @ xs.T) / (norms[:, None] * norms[None, :])
    rows, cols = torch.triu_indices(N1, N1, offset=1)
    return s[rows, cols].mean()


def w1_triu(x):
    # Rows normalized first (one N×N division fewer), then the triangle's sum.
    xs = standardize(x)
    unit = xs / xs.norm(dim=1, keepdim=True)
    s = unit @ unit.T
    return s.triu(1).sum() / (N1 * (N1 - 1) / 2)


def w1_mask(x, mask):
    xs = standardize(x)
    unit = xs / xs.norm(dim=1, keepdim=True)
    return (unit @ unit.T)[mask].mean()


def run_w1(repeats):
    torch.manual_seed(0)
    x = torch.randn(N1, D1, requires_grad=True)
    # The mask is a constant of the problem, built once outside the timing.
    mask = torch.ones(N1, N1, dtype=torch.bool).triu(1)
    forms = [
        ("W1_literal", lambda: w1_literal(x)),
        ("W1_triu", lambda: w1_triu(x)),
        ("W1_mask", lambda: w1_mask(x, mask)),
    ]
    for name, loss in forms:

        def step():
            x.grad = None
            loss().backward()
            return x.grad

        seconds, grad = best(repeats, step)
        emit(
            workload=name,
            seconds=seconds,
            grad_min=grad.min().item(),
            grad_max=grad.max().item(),
            grad_mean=grad.mean().item(),
        )


# W2 --------------------------------------------------------------------------------------


def run_w2(repeats):
    torch.manual_seed(0)
    n, d = 10_000, 50
    x = torch.randn(n, d)
    true_w, true_b = torch.randn(d, 1), torch.randn(1)
    y = x @ true_w + true_b + 0.1 * torch.randn(n, 1)
    lr, lam, batch, accumulation = 0.05, 1e-3, 512, 4

    def train():
        torch.manual_seed(1)
        w = torch.zeros(d, 1, requires_grad=True)
        b = torch.zeros(1, requires_grad=True)
        for _ in range(20):
            order = torch.randperm(n)
            batches = [(x[rows], y[rows]) for rows in order.split(batch)]
            for start in range(0, len(batches), accumulation):
                group = batches[start : start + accumulation]
                total = 0.0
                for xb, yb in group:
                    residual = xb @ w + b - yb
                    loss = ((residual * residual).mean() + lam * (w * w).sum()) / len(group)
                    loss.backward()
                    total += loss.item()
                with torch.no_grad():
                    w -= lr * w.grad
                    b -= lr * b.grad
                w.grad.zero_()
                b.grad.zero_()
        return (w.detach() - true_w).norm().item()

    seconds, error = best(repeats, train)
    emit(workload="W2", seconds=seconds, w_error=error)


# W3 --------------------------------------------------------------------------------------


def bce_logits(z, y):
    # The reference solution's stable form: exp only ever sees numbers ≤ 0.
    non_negative = z >= 0
    zero = torch.zeros((), dtype=z.dtype)
    above = torch.where(non_negative, z, zero)
    below = torch.where(non_negative, zero, z)
    softplus = torch.where(non_negative, above + (-above).exp().log1p(), below.exp().log1p())
    return (softplus - z * y).mean()


def run_w3(repeats):
    torch.manual_seed(0)
    n, half = 3000, 1500
    centres = torch.tensor([[-2.0, -2.0], [2.0, 2.0]])
    labels = torch.cat([torch.zeros(half, dtype=torch.long), torch.ones(n - half, dtype=torch.long)])
    x = centres[labels] + torch.randn(n, 2)
    order = torch.randperm(n)
    x, y = x[order], labels[order].float().unsqueeze(1)
    lr = 0.1

    def train():
        w = torch.zeros(2, 1, requires_grad=True)
        b = torch.zeros(1, requires_grad=True)
        accuracies = []
        for _ in range(200):
            loss = bce_logits(x @ w + b, y)
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
            loss.item()
            with torch.no_grad():
                z = x @ w + b
                accuracies.append(((z > 0).to(y.dtype) == y).float().mean().item())
        return accuracies[-1]

    seconds, accuracy = best(repeats, train)
    emit(workload="W3", seconds=seconds, accuracy=accuracy)


# W4 --------------------------------------------------------------------------------------


def cross_entropy(logits, labels):
    # The reference solution's form: (m − z_y) + log1p(Σ over the non-maximal terms).
    m, top = logits.max(dim=1, keepdim=True)
    is_top = torch.arange(logits.shape[1]).unsqueeze(0) == top
    rest = (logits - m).exp().masked_fill(is_top, 0).sum(dim=1)
    picked = logits[torch.arange(logits.shape[0]), labels]
    return (m.squeeze(1) - picked + rest.log1p()).mean()


def numerical_gradient(loss, parameter, epsilon=1e-6):
    flat = parameter.detach().view(-1)
    values = []
    with torch.no_grad():
        for i in range(flat.numel()):
            original = flat[i].item()
            flat[i] = original + epsilon
            up = loss().item()
            flat[i] = original - epsilon
            down = loss().item()
            flat[i] = original
            values.append((up - down) / (2 * epsilon))
    return torch.tensor(values, dtype=parameter.dtype).view(parameter.shape)


def max_relative_error(a, n):
    return ((a - n).abs() / (a.abs() + n.abs()).clamp(min=1e-8)).max().item()


def run_w4(repeats):
    torch.manual_seed(0)
    n, classes, d = 3000, 5, 20
    centres = 3 * torch.randn(classes, d)
    labels = torch.arange(n) % classes
    labels = labels[torch.randperm(n)]
    x = centres[labels] + torch.randn(n, d)
    lr, batch = 0.5, 128

    def train_and_check():
        torch.manual_seed(1)
        w = torch.zeros(d, classes, requires_grad=True)
        b = torch.zeros(classes, requires_grad=True)
        accuracies = []
        for _ in range(20):
            order = torch.randperm(n)
            for start in range(0, n, batch):
                rows = order[start : start + batch]
                loss = cross_entropy(x[rows] @ w + b, labels[rows])
                loss.backward()
                with torch.no_grad():
                    w -= lr * w.grad
                    b -= lr * b.grad
                w.grad.zero_()
                b.grad.zero_()
                loss.item()
            with torch.no_grad():
                predicted = (x @ w + b).argmax(dim=1)
                accuracies.append((predicted == labels).float().mean().item())
        # The gradient check, in Float64 on the first 64 rows: all 105 parameters.
        x64, l64 = x[:64].double(), labels[:64]
        w64 = w.detach().double().clone().requires_grad_()
        b64 = b.detach().double().clone().requires_grad_()

        def loss64():
            return cross_entropy(x64 @ w64 + b64, l64)

        loss64().backward()
        error = max(
            max_relative_error(w64.grad, numerical_gradient(loss64, w64)),
            max_relative_error(b64.grad, numerical_gradient(loss64, b64)),
        )
        return accuracies[-1], error

    seconds, (accuracy, error) = best(repeats, train_and_check)
    emit(workload="W4", seconds=seconds, accuracy=accuracy, max_relative_error=error)


# W5 --------------------------------------------------------------------------------------


def run_w5(repeats):
    torch.manual_seed(0)
    n, train_count = 5000, 4000
    x = 4 * torch.rand(n, 2) - 2
    y = (2 * x[:, 0:1]).sin() + 0.5 * (3 * x[:, 1:2]).cos() + 0.1 * torch.randn(n, 1)
    x_train, y_train, x_val, y_val = x[:train_count], y[:train_count], x[train_count:], y[train_count:]
    lr, decay, clip, batch, hidden = 0.1, 1e-4, 1.0, 64, 64

    def mse(p, t):
        difference = p - t
        return (difference * difference).mean()

    def train():
        torch.manual_seed(1)
        w1 = (torch.randn(2, hidden) * math.sqrt(2 / 2)).requires_grad_()
        w2 = (torch.randn(hidden, 1) * math.sqrt(1 / hidden)).requires_grad_()
        b1 = torch.zeros(hidden, requires_grad=True)
        b2 = torch.zeros(1, requires_grad=True)
        parameters = [w1, b1, w2, b2]

        def forward(inputs):
            return (inputs @ w1 + b1).relu() @ w2 + b2

        val = []
        for _ in range(100):
            order = torch.randperm(train_count)
            for start in range(0, train_count, batch):
                rows = order[start : start + batch]
                penalty = (w1 * w1).sum() + (w2 * w2).sum()
                loss = mse(forward(x_train[rows]), y_train[rows]) + decay * penalty
                loss.backward()
                with torch.no_grad():
                    total = math.sqrt(sum((p.grad * p.grad).sum().item() for p in parameters))
                    scale = clip / (total + 1e-6)
                    if scale < 1:
                        for p in parameters:
                            p.grad *= scale
                    for p in parameters:
                        p -= lr * p.grad
                for p in parameters:
                    p.grad.zero_()
                loss.item()
            with torch.no_grad():
                mse(forward(x_train), y_train).item()
                val.append(mse(forward(x_val), y_val).item())
        return val[-1]

    seconds, val_mse = best(repeats, train)
    emit(workload="W5", seconds=seconds, val_mse=val_mse)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", help="W1 … W5 (default: all)")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    emit(
        pytorch=torch.__version__,
        threads=torch.get_num_threads(),
        blas=torch.__config__.show().split("BLAS_INFO=")[1].split(",")[0]
        if "BLAS_INFO=" in torch.__config__.show()
        else "unknown",
    )
    runs = {"W1": run_w1, "W2": run_w2, "W3": run_w3, "W4": run_w4, "W5": run_w5}
    for name, run in runs.items():
        if args.workload is None or args.workload.upper() == name:
            run(args.repeats)


if __name__ == "__main__":
    main()
