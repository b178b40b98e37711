"""The multi-tier supply chain as a graph: products (current declarations, secondary factors) and their inputs."""
