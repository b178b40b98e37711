"""Green-finance claims a bank checks (碳足迹 as evidence): the claim model and its evaluator."""
