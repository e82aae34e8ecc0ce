"""Load check of the search API (locust): `python -m bench.load --help`."""
