"""Benchmarks of Sorotan's stages: `python -m bench` (see bench/cli.py)."""
