"""Retrieval: hybrid dense + BM25 search and follow-up rewriting."""
