#!/usr/bin/env python3
"""NumPy reference for the exp-sum kernel (assembly/expsum.ts), for bench/run.mjs.

    python3 bench/expsum_numpy.py M T [--reps N] [--block B] [--values]

Builds the same problem as bench/run.mjs:
    rates  r_k = 0.5 * k^-1.5 for k = M, M-1, ..., 1  (ascending, r_k * t <= 500 for t <= 1e3)
    w0_k   = k^-1.25,  w1_k = r_k * w0_k
    times  t_j log-spaced over [1e-3, 1e3] (T points)
and computes out0[j] = sum_k w0_k exp(-r_k t_j), out1[j] = sum_k w1_k exp(-r_k t_j).

The times are processed in blocks of B (default 8): each block materialises a B x M matrix
exp(-t r) (64 MB at M = 1e6, B = 8) and contracts it with [w0 w1] in one matrix product, all with
preallocated buffers. Every term is active (no term underflows), so the work is exactly M*T
exponentials + 2*M*T multiply-adds, the same as the WebAssembly and JS engines.

Prints one JSON object: nsPerTerm (best of the timed runs), nsPerTermMedian, runs (ns per term of
each run), terms, plus out0/out1 when --values is given (for bench/run.mjs's agreement check).
Times are CPU time of the process (time.process_time_ns), like bench/run.mjs's; the wall-clock
median and each run's wall / CPU ratio ('contention', 1 on an idle machine) are given too.

bench/run.mjs runs this with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset and one BLAS thread, so
NumPy is measured single-threaded like the engines.
"""
import argparse
import json
import sys
import time

import numpy as np


def build_problem(modes, times_count):
    k = np.arange(modes, 0, -1, dtype=np.float64)
    rates = 0.5 * k ** -1.5
    w0 = k ** -1.25
    w1 = rates * w0
    times = np.logspace(-3.0, 3.0, times_count) if times_count > 1 else np.array([1.0])
    return rates, w0, w1, times


def exp_sums(rates, weights, times, block, scratch, result):
    """Writes sum_k weights[k, :] exp(-rates_k t_j) into result[j, :]."""
    negative_rates = -rates
    for start in range(0, times.size, block):
        stop = min(start + block, times.size)
        rows = stop - start
        buffer = scratch[:rows]
        np.multiply.outer(times[start:stop], negative_rates, out=buffer)
        np.exp(buffer, out=buffer)
        np.matmul(buffer, weights, out=result[start:stop])


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('modes', type=float, help='M, number of modes (1e5 accepted)')
    parser.add_argument('times', type=float, help='T, number of times')
    parser.add_argument('--reps', type=int, default=3, help='timed runs after one warm-up block')
    parser.add_argument('--block', type=int, default=8, help='times per block')
    parser.add_argument('--values', action='store_true', help='include out0/out1 in the JSON')
    args = parser.parse_args(argv)
    modes, times_count = int(args.modes), int(args.times)
    block = max(1, min(args.block, times_count))

    rates, w0, w1, times = build_problem(modes, times_count)
    weights = np.ascontiguousarray(np.stack([w0, w1], axis=1))  # M x 2
    scratch = np.empty((block, modes), dtype=np.float64)
    result = np.empty((times_count, 2), dtype=np.float64)

    # Warm-up: one block (page-faults the scratch buffer in, loads BLAS).
    exp_sums(rates, weights, times[:block], block, scratch, result[:block])

    runs, wall_runs = [], []
    for _ in range(max(1, args.reps)):
        wall, cpu = time.perf_counter_ns(), time.process_time_ns()
        exp_sums(rates, weights, times, block, scratch, result)
        cpu, wall = time.process_time_ns() - cpu, time.perf_counter_ns() - wall
        runs.append(cpu / (modes * times_count))
        wall_runs.append(wall / (modes * times_count))

    report = {
        'engine': 'numpy',
        'numpy': np.__version__,
        'modes': modes,
        'times': times_count,
        'terms': modes * times_count,
        'block': block,
        'nsPerTerm': min(runs),
        'nsPerTermMedian': float(np.median(runs)),
        'runs': runs,
        'wallNsPerTermMedian': float(np.median(wall_runs)),
        'contention': [w / c for w, c in zip(wall_runs, runs)],
    }
    if args.values:
        report['out0'] = result[:, 0].tolist()
        report['out1'] = result[:, 1].tolist()
    json.dump(report, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
