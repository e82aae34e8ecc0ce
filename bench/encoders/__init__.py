"""Faithfulness and speed of the embedding runtimes: `python -m bench.encoders --help`."""
