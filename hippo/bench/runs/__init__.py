"""Benchmark runs: each module is one measurement, run from the repository root as
``python -m hippo.bench.runs.NAME``; results go to ``benchmarks/results/``."""
