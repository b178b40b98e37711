"""Carbon labels (碳标识): the terms a label states and commits on chain, the certification catalogue of product
categories, and versioned category benchmarks that turn a certified value into a grade and a score."""
