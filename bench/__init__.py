"""Benchmarks: each bench_*.py module prints ratios against a baseline measured in the same run."""
