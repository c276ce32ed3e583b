"""Benchmarks (not tests): `bash benchmarks/run.sh` runs them all and writes benchmarks/RESULTS.md."""
