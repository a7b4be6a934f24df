"""Grounding eval: cases, metrics, runner and benchmarks. Imports qa and index."""
