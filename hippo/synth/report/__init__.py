"""The quality report of a synthesis output."""
