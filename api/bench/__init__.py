"""Benchmarks behind `tanji bench ...`: each returns one JSON-ready dict with absolute figures and ratios to a floor
or baseline measured in the same run."""
