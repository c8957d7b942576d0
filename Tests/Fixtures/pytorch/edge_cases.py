"""The edge cases of the fixtures: edge values (0, -0, ±inf, NaN, ties, exact bounds, empty
dimensions), non-contiguous inputs (attrs.views), mixed dtypes and full vector-Jacobian
products. Imported by generate.py, which passes its `add` and seeded `randn`."""

import itertools

import torch

F64, F32, I64 = torch.float64, torch.float32, torch.int64
NAN, INF = float("nan"), float("inf")
# Twelve values that hit every edge of the elementwise operations.
EDGE = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, INF, -INF, NAN, 3.0, 3.0, 2.0]


def edge(*shape, dtype=F64):
    return torch.tensor(EDGE, dtype=dtype).reshape(*shape)


def generate(add, randn):
    unary(add, randn)
    binary(add, randn)
    clamps(add, randn)
    reductions(add, randn)
    dtypes(add, randn)


def unary(add, randn):
    for op in ["neg", "exp", "log", "log1p", "sqrt", "abs", "sin", "cos", "tanh", "relu"]:
        fn = getattr(torch, op)
        add(f"edge_{op}_values", {"op": op}, {"a": edge(3, 4)}, fn)
        add(f"edge_{op}_transposed", {"op": op}, {"a": randn(4, 3)}, fn, views={"a": "T"})
    add("edge_sign_values", {"op": "sign"}, {"a": edge(3, 4)}, torch.sign, upstream=False)
    for e in [0, 1, 2, 3, 0.5, -1, 2.5, -2]:
        add(f"edge_pow_{e}_values".replace(".", "_").replace("-", "m"),
            {"op": "pow", "exponent": e}, {"a": edge(3, 4)}, lambda a, e=e: a.pow(e))
    add("edge_pow_3_step2", {"op": "pow", "exponent": 3}, {"a": randn(6, 3)},
        lambda a: a.pow(3), views={"a": "step2"})
    base = torch.tensor([0.0, 0, 0, 2, -2, NAN, 1, 0.5, -0.0, -2, 0, INF], dtype=F64)
    expo = torch.tensor([0.0, -1, 2, 0, 3, 0, NAN, -2, 1, 0.5, 0.5, -1], dtype=F64)
    add("edge_pow_tensor_values", {"op": "pow_tensor"}, {"a": base, "b": expo},
        lambda a, b: a.pow(b))
    add("edge_pow_tensor_bcast", {"op": "pow_tensor"},
        {"a": randn(3, 1).abs() + 0.5, "b": randn(1, 4)}, lambda a, b: a.pow(b))


def binary(add, randn):
    a, b = edge(12, 1), edge(1, 12)
    fns = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
           "maximum": torch.maximum, "minimum": torch.minimum}
    for op, fn in fns.items():
        add(f"edge_{op}_grid", {"op": op}, {"a": a, "b": b}, fn)
        add(f"edge_{op}_views", {"op": op}, {"a": randn(4, 3), "b": randn(1, 4)}, fn,
            views={"a": "T", "b": "expand:[3, 4]"})
        add(f"edge_{op}_step2", {"op": op}, {"a": randn(6, 4), "b": randn(4)}, fn,
            views={"a": "step2"})
        add(f"edge_{op}_f32_f64", {"op": op}, {"a": randn(3, 4, dtype=F32), "b": randn(4)}, fn)
        add(f"edge_{op}_f32_0d_f64", {"op": op}, {"a": randn(3, 4, dtype=F32), "b": randn()}, fn)
    ties = torch.tensor([1.0, 2, 3, NAN, 5, NAN], dtype=F64)
    other = torch.tensor([1.0, 1, 4, 0, NAN, NAN], dtype=F64)
    for op in ["maximum", "minimum"]:
        add(f"edge_{op}_ties_nan", {"op": op}, {"a": ties, "b": other}, fns[op])
    for op in ["gt", "lt", "ge", "le", "eq", "ne"]:
        add(f"edge_{op}_grid", {"op": op}, {"a": a, "b": b}, getattr(torch, op), upstream=False)
    mask = randn(12, 12) > 0
    add("edge_where_grid", {"op": "where"}, {"c": mask, "a": a, "b": b}, torch.where)
    add("edge_where_views", {"op": "where"}, {"c": randn(3, 4) > 0, "a": randn(4, 3), "b": randn()},
        torch.where, views={"a": "T"})
    add("edge_masked_fill_nan", {"op": "masked_fill", "value": NAN},
        {"a": edge(3, 4), "m": randn(3, 4) > 0}, lambda a, m: a.masked_fill(m, NAN))
    add("edge_matmul_views", {"op": "matmul"}, {"a": randn(6, 4), "b": randn(5, 4)},
        torch.matmul, views={"a": "step2", "b": "T"})
    add("edge_matmul_inf", {"op": "matmul"}, {"a": edge(3, 4), "b": randn(4, 2)}, torch.matmul)


def clamps(add, randn):
    add("edge_clamp_bounds", {"op": "clamp", "min": -1.0, "max": 1.0}, {"a": edge(3, 4)},
        lambda a: a.clamp(-1.0, 1.0))
    add("edge_clamp_min", {"op": "clamp", "min": 0.0}, {"a": edge(3, 4)},
        lambda a: a.clamp(min=0.0))
    add("edge_clamp_max", {"op": "clamp", "max": 0.5}, {"a": edge(3, 4)},
        lambda a: a.clamp(max=0.5))
    add("edge_clamp_equal_bounds", {"op": "clamp", "min": 1.0, "max": 1.0}, {"a": edge(3, 4)},
        lambda a: a.clamp(1.0, 1.0))
    add("edge_clamp_transposed", {"op": "clamp", "min": -0.5, "max": 0.5}, {"a": randn(4, 3)},
        lambda a: a.clamp(-0.5, 0.5), views={"a": "T"})
    ints = torch.tensor([-3, 0, 1, 2, 5, 7], dtype=I64)
    add("edge_clamp_int_whole", {"op": "clamp", "min": 0.0, "max": 2.0}, {"a": ints},
        lambda a: a.clamp(0, 2), upstream=False)
    add("edge_clamp_int_fraction", {"op": "clamp", "min": 0.5, "max": 2.0}, {"a": ints},
        lambda a: a.clamp(0.5, 2.0), upstream=False)
    grid = torch.tensor(list(itertools.product([0.0, 1, 2, NAN], repeat=3)), dtype=F64)
    add("edge_clamp_tensor_grid", {"op": "clamp_tensor"},
        {"a": grid[:, 0].clone(), "lo": grid[:, 1].clone(), "hi": grid[:, 2].clone()},
        lambda a, lo, hi: torch.clamp(a, lo, hi))
    pairs = torch.tensor(list(itertools.product([0.0, 1, 2, NAN], repeat=2)), dtype=F64)
    add("edge_clamp_tensor_min_grid", {"op": "clamp_tensor"},
        {"a": pairs[:, 0].clone(), "lo": pairs[:, 1].clone()},
        lambda a, lo: torch.clamp(a, min=lo))
    add("edge_clamp_tensor_max_grid", {"op": "clamp_tensor"},
        {"a": pairs[:, 0].clone(), "hi": pairs[:, 1].clone()},
        lambda a, hi: torch.clamp(a, max=hi))
    add("edge_clamp_tensor_bcast", {"op": "clamp_tensor"},
        {"a": randn(4, 3), "lo": randn(4) - 0.5, "hi": randn(3, 1) + 0.5},
        lambda a, lo, hi: torch.clamp(a, lo, hi), views={"a": "T"})


def reductions(add, randn):
    x = randn(2, 3, 4)
    with_nan = x.clone()
    with_nan[1, 2, 3] = NAN
    with_inf = x.clone()
    with_inf[0, 1, 2] = INF
    for name, t in [("", x), ("_nan", with_nan), ("_inf", with_inf)]:
        for keep in [False, True]:
            k = "_keep" if keep else ""
            for op in ["sum", "mean", "var", "std", "amax", "amin"]:
                add(f"edge_{op}_dims02{name}{k}", {"op": op, "dims": [0, 2], "keepdim": keep},
                    {"a": t}, lambda a, op=op, keep=keep: getattr(a, op)(dim=(0, 2), keepdim=keep))
            for p in [2, 3, 0.5, 1.5, 1, INF, -INF]:
                add(f"edge_norm_p{p}_dims02{name}{k}".replace(".", "_").replace("-", "m"),
                    {"op": "norm", "p": p, "dims": [0, 2], "keepdim": keep}, {"a": t},
                    lambda a, p=p, keep=keep: a.norm(p=p, dim=(0, 2), keepdim=keep))
    zero_row = randn(3, 4)
    zero_row[1] = 0
    for p in [2, 3, 0.5, 1.5, 1, INF, -INF]:
        tag = str(p).replace(".", "_").replace("-", "m")
        add(f"edge_norm_p{tag}_zero_row", {"op": "norm", "p": p, "dim": 1}, {"a": zero_row},
            lambda a, p=p: a.norm(p=p, dim=1))
        add(f"edge_norm_p{tag}_all", {"op": "norm", "p": p}, {"a": randn(3, 4)},
            lambda a, p=p: a.norm(p=p))
        add(f"edge_norm_p{tag}_all_zero", {"op": "norm", "p": p}, {"a": torch.zeros(5, dtype=F64)},
            lambda a, p=p: a.norm(p=p))
    ties = torch.tensor([[3.0, 1, 3, 0], [NAN, 2, NAN, 2], [-1, -1, -5, -5]], dtype=F64)
    add("edge_amax_ties_all", {"op": "amax", "dims": []}, {"a": ties[::2].clone()},
        lambda a: a.amax())
    add("edge_amax_ties_dim1", {"op": "amax", "dims": [1]}, {"a": ties}, lambda a: a.amax(1))
    add("edge_amin_ties_dim1", {"op": "amin", "dims": [1]}, {"a": ties}, lambda a: a.amin(1))
    for op in ["max", "min"]:
        add(f"edge_{op}_all_nan", {"op": op}, {"a": torch.tensor([1.0, NAN, 3, -1], dtype=F64)},
            lambda a, op=op: getattr(a, op)())
        add(f"edge_{op}_all_two_nan", {"op": op}, {"a": torch.tensor([NAN, 1.0, NAN], dtype=F64)},
            lambda a, op=op: getattr(a, op)())
        add(f"edge_{op}_all_ties", {"op": op}, {"a": ties[::2].clone()},
            lambda a, op=op: getattr(a, op)())
        add(f"edge_{op}_all_inf", {"op": op}, {"a": edge(12)[:8].clone()},
            lambda a, op=op: getattr(a, op)())
        add(f"edge_{op}_dim1_ties_nan", {"op": op, "dim": 1}, {"a": ties},
            lambda a, op=op: getattr(a, op)(1).values)
        add(f"edge_{op}_dim0_transposed", {"op": op, "dim": 0}, {"a": randn(4, 3)},
            lambda a, op=op: getattr(a, op)(0).values, views={"a": "T"})
    for op in ["argmax", "argmin"]:
        add(f"edge_{op}_dim1_ties_nan", {"op": op, "dim": 1}, {"a": ties},
            lambda a, op=op: getattr(a, op)(1), upstream=False)
        add(f"edge_{op}_all_ties", {"op": op}, {"a": ties[::2].clone()},
            lambda a, op=op: getattr(a, op)(), upstream=False)
        add(f"edge_{op}_all_nan", {"op": op}, {"a": ties}, lambda a, op=op: getattr(a, op)(),
            upstream=False)
    add("edge_sum_dim0_transposed", {"op": "sum", "dim": 0}, {"a": randn(4, 3)},
        lambda a: a.sum(0), views={"a": "T"})
    add("edge_amax_dims01_step2", {"op": "amax", "dims": [0, 1]}, {"a": randn(6, 3)},
        lambda a: a.amax((0, 1)), views={"a": "step2"})
    add("edge_var_dims01_expanded", {"op": "var", "dims": [0, 1]}, {"a": randn(1, 4)},
        lambda a: a.var((0, 1)), views={"a": "expand:[3, 4]"})
    const = torch.tensor([[2.0, 2, 2], [1, 2, 3]], dtype=F64)
    add("edge_std_constant_row", {"op": "std", "dim": 1}, {"a": const}, lambda a: a.std(1))
    add("edge_std_constant_all", {"op": "std"}, {"a": torch.full((4,), 1.5, dtype=F64)},
        lambda a: a.std())
    add("edge_var_single", {"op": "var", "dim": 0}, {"a": randn(1, 3)}, lambda a: a.var(0))
    empty = torch.zeros(2, 0, dtype=F64)
    for op in ["sum", "mean", "norm"]:
        add(f"edge_{op}_empty_dim", {"op": op, "dim": 1}, {"a": empty},
            lambda a, op=op: getattr(a, op)(dim=1))
    add("edge_sum_empty_all", {"op": "sum"}, {"a": empty}, lambda a: a.sum())


def dtypes(add, randn):
    bools = (torch.tensor([True, False, True, False]), torch.tensor([True, True, False, False]))
    add("edge_add_bool_bool", {"op": "add"}, {"a": bools[0], "b": bools[1]}, torch.add,
        upstream=False)
    add("edge_mul_bool_bool", {"op": "mul"}, {"a": bools[0], "b": bools[1]}, torch.mul,
        upstream=False)
    add("edge_maximum_bool_bool", {"op": "maximum"}, {"a": bools[0], "b": bools[1]},
        torch.maximum, upstream=False)
    ints = torch.tensor([-3, 0, 1, 2, 5, 7], dtype=I64)
    add("edge_pow_int_2", {"op": "pow", "exponent": 2}, {"a": ints}, lambda a: a.pow(2),
        upstream=False)
    add("edge_pow_int_0", {"op": "pow", "exponent": 0}, {"a": ints}, lambda a: a.pow(0),
        upstream=False)
    add("edge_pow_int_fraction", {"op": "pow", "exponent": 0.5}, {"a": ints},
        lambda a: a.pow(0.5), upstream=False)
    add("edge_pow_tensor_int", {"op": "pow_tensor"},
        {"a": torch.tensor([2, 3, 0, 1, -1, -2], dtype=I64),
         "b": torch.tensor([-1, -2, 0, -3, -3, 3], dtype=I64)}, lambda a, b: a.pow(b),
        upstream=False)
    add("edge_cat_f32_f64", {"op": "cat", "dim": 0}, {"a": randn(2, 3, dtype=F32), "b": randn(1, 3)},
        lambda a, b: torch.cat([a, b], 0))
    add("edge_cat_int_f32", {"op": "cat", "dim": 1},
        {"a": torch.tensor([[1], [2]], dtype=I64), "b": randn(2, 2, dtype=F32)},
        lambda a, b: torch.cat([a, b], 1))
    add("edge_cat_transposed", {"op": "cat", "dim": 1}, {"a": randn(2, 3), "b": randn(3, 2)},
        lambda a, b: torch.cat([a, b], 1), views={"b": "T"})
    add("edge_add_int_f32", {"op": "add"},
        {"a": torch.tensor([1, 2, 3], dtype=I64), "b": randn(3, dtype=F32)}, torch.add)
    add("edge_exp_f32", {"op": "exp"}, {"a": edge(3, 4, dtype=F32)}, torch.exp)
    add("edge_norm_f32", {"op": "norm", "p": 3, "dim": 1}, {"a": randn(3, 4, dtype=F32)},
        lambda a: a.norm(p=3, dim=1))
