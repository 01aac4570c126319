"""Benchmarks (`make bench`): each bench_*.py reports figures as ratios against a reference from the same run."""
