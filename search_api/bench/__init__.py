"""`pledges bench`: synthetic corpora of chosen sizes, indexed and timed beside reference implementations."""
