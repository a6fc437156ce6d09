#!/usr/bin/env python3
"""NumPy reference for the SGD recursion kernel (assembly/sgd.ts), for bench/run.mjs.

    python3 bench/sgd_numpy.py M STEPS [--reps N] [--warmup W] [--noise X]

Builds the same problem as bench/run.mjs (eta = 0.25, batch 1, lambda_k = k^-1.5, k = 1..M):
    a_k = (1 - eta lambda_k)^2 + eta^2 lambda_k^2,  b_k = eta^2 lambda_k^2,  e_k(0) = k^-2.5
and runs the recursion vectorised over modes, one step at a time:
    e <- a * e + b * (L + noise);  L = sum(e)
with preallocated buffers (three NumPy calls and one sum per step). Runs W warm-up steps, then
N timed runs of STEPS steps each, continuing the same state (the engines are run on the same
schedule, so the final losses are comparable).

Prints one JSON object: nsPerModeStep (best run), nsPerModeStepMedian, runs, loss (final), all in
CPU time of the process; wallNsPerModeStepMedian and each run's wall / CPU ratio ('contention').
NumPy's sum is pairwise, not the engines' canonical order: expect ~1e-15 relative differences.
"""
import argparse
import json
import sys
import time

import numpy as np

ETA = 0.25


def build_problem(modes):
    k = np.arange(1, modes + 1, dtype=np.float64)
    lam = k ** -1.5
    decay = (1 - ETA * lam) ** 2 + ETA ** 2 * lam ** 2
    injection = ETA ** 2 * lam ** 2
    energy = k ** -2.5
    return decay, injection, energy


def advance(decay, injection, energy, scratch, loss, steps, noise):
    multiply, add = np.multiply, np.add
    for _ in range(steps):
        multiply(decay, energy, out=energy)
        multiply(injection, loss + noise, out=scratch)
        add(energy, scratch, out=energy)
        loss = float(energy.sum())
    return loss


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('modes', type=float, help='M, number of modes (1e5 accepted)')
    parser.add_argument('steps', type=float, help='steps per timed run')
    parser.add_argument('--reps', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=0, help='steps before the timed runs')
    parser.add_argument('--noise', type=float, default=1e-3)
    args = parser.parse_args(argv)
    modes, steps = int(args.modes), int(args.steps)

    decay, injection, energy = build_problem(modes)
    scratch = np.empty_like(energy)
    loss = float(energy.sum())
    loss = advance(decay, injection, energy, scratch, loss, args.warmup, args.noise)

    runs, wall_runs = [], []
    for _ in range(max(1, args.reps)):
        wall, cpu = time.perf_counter_ns(), time.process_time_ns()
        loss = advance(decay, injection, energy, scratch, loss, steps, args.noise)
        cpu, wall = time.process_time_ns() - cpu, time.perf_counter_ns() - wall
        runs.append(cpu / (modes * steps))
        wall_runs.append(wall / (modes * steps))

    json.dump({
        'engine': 'numpy',
        'numpy': np.__version__,
        'modes': modes,
        'steps': steps,
        'nsPerModeStep': min(runs),
        'nsPerModeStepMedian': float(np.median(runs)),
        'runs': runs,
        'wallNsPerModeStepMedian': float(np.median(wall_runs)),
        'contention': [w / c for w, c in zip(wall_runs, runs)],
        'loss': loss,
    }, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
