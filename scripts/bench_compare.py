"""Runs the Swift bench and the PyTorch workloads side by side and prints their ratios.

Called by `scripts/bench --compare` with the release bench's path and the Python that has
PyTorch. Each round runs the whole Swift bench, then the whole PyTorch script, each in a
process of its own (so neither holds memory or threads while the other runs); every
figure is the best over all rounds of each side's best of `--repeats`. The load average is
recorded before and after every process, since other work on the machine moves the times.
Uses the standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_lines(command, env=None):
    """Runs `command` and returns its JSON output lines, parsed, and its standard error."""
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")], done.stderr


def load():
    return os.getloadavg()[0]


def keep_best(table, name, record):
    if name not in table or record["seconds"] < table[name]["seconds"]:
        table[name] = record


def ratio(slow, fast):
    return slow / fast if fast > 0 else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swift", required=True, help="the release bench executable")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    swift, torch, loads, info = {}, {}, [], {}
    floor = None
    # OpenBLAS picks its kernels from the CPU at load time and says which with
    # OPENBLAS_VERBOSE=2; a CPU it does not know gets its generic kernels, several times slower.
    swift_env = dict(os.environ, OPENBLAS_VERBOSE="2")
    openblas_core = "unknown"
    # The first "Core:" line is OpenBLAS's own choice; a second one is the library's
    # correction when OpenBLAS fell back to its generic kernels.
    detected_core = None
    for round_index in range(args.rounds):
        for side in ("swift", "pytorch"):
            before = load()
            start = time.monotonic()
            if side == "swift":
                records, errors = run_lines([args.swift, "--repeats", str(args.repeats)], swift_env)
                cores = [
                    line.split(":", 1)[1].strip()
                    for line in errors.splitlines()
                    if line.startswith("Core:")
                ]
                if cores:
                    detected_core, openblas_core = cores[0], cores[-1]
                for record in records:
                    if "workload" in record:
                        keep_best(swift, record["workload"], record)
                    if "floor_seconds" in record:
                        # The floor is the machine's, not the run's: its lowest measurement
                        # over the rounds, whichever round gave W1's best time.
                        if floor is None or record["floor_seconds"] < floor["floor_seconds"]:
                            floor = record
            else:
                command = [
                    sys.executable,
                    os.path.join(HERE, "bench_pytorch.py"),
                    "--repeats",
                    str(args.repeats),
                    "--threads",
                    str(args.threads),
                ]
                for record in run_lines(command)[0]:
                    if "workload" in record:
                        keep_best(torch, record["workload"], record)
                    else:
                        info = record
            loads.append((round_index + 1, side, before, load(), time.monotonic() - start))

    print(f"PyTorch {info.get('pytorch')} ({info.get('threads')} threads, BLAS {info.get('blas')})")
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    if coretype:
        chosen = f", OPENBLAS_CORETYPE={coretype}"
    elif detected_core and detected_core != openblas_core:
        chosen = f", chosen by the library (OpenBLAS detected {detected_core})"
    else:
        chosen = ", detected"
    print(f"Gradwork: OpenBLAS kernels for {openblas_core}{chosen}")
    print(f"best of {args.repeats} within each process, best over {args.rounds} alternating rounds")
    for round_index, side, before, after, seconds in loads:
        print(f"round {round_index} {side:8} {seconds:6.1f} s, load average {before:.2f} -> {after:.2f}")
    print()
    print("| workload | Gradwork s | PyTorch s | PyTorch / Gradwork |")
    print("|---|---|---|---|")
    w1 = swift["W1"]
    torch_best = min(("W1_triu", "W1_mask"), key=lambda name: torch[name]["seconds"])
    rows = [
        ("W1, PyTorch in the seed's literal form", w1, torch["W1_literal"]),
        (f"W1, PyTorch's best form ({torch_best[3:]})", w1, torch[torch_best]),
    ] + [(name, swift[name], torch[name]) for name in ("W2", "W3", "W4", "W5")]
    for label, ours, theirs in rows:
        print(
            f"| {label} | {ours['seconds']:.4f} | {theirs['seconds']:.4f} | "
            f"{ratio(theirs['seconds'], ours['seconds']):.1f}× |"
        )
    print()
    print(
        f"W1 floor (lowest over the rounds): {floor['floor_seconds']:.4f} s (two products at "
        f"{floor['floor_sgemm_gflops']:.0f} GFLOP/s, one N×N pass at "
        f"{floor['floor_gigabytes_per_second']:.1f} GB/s); "
        f"Gradwork W1 / floor = {w1['seconds'] / floor['floor_seconds']:.2f}; "
        f"W1 peak resident memory {w1['peak_rss_megabytes']:.0f} MB"
    )
    print()
    print("figures (Gradwork / PyTorch):")
    print(
        f"  W1 X.grad min {w1['grad_min']:.3g} / {torch['W1_literal']['grad_min']:.3g}, "
        f"max {w1['grad_max']:.3g} / {torch['W1_literal']['grad_max']:.3g}"
    )
    for name, key in (("W2", "w_error"), ("W3", "accuracy"), ("W4", "accuracy"), ("W5", "val_mse")):
        print(f"  {name} {key} {swift[name][key]:.4g} / {torch[name][key]:.4g}")
    print(
        f"  W4 max_relative_error {swift['W4']['max_relative_error']:.2g} / "
        f"{torch['W4']['max_relative_error']:.2g}"
    )


if __name__ == "__main__":
    main()
