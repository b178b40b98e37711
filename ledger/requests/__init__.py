"""Footprint requests by tier (chain leader -> suppliers): the rules a request and its answer obey, the coverage a
chain leader sees, and the assembly progress of a product's bill of materials. Pure: no database, no chain."""
