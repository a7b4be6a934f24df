"""The extractive engine: features, the learned answer/refuse decision, short answers."""
