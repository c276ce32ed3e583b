"""The data: load and validate, the dimensions, query, small-number protection, regions."""
