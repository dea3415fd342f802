"""Filters every candidate pair passes: self-containedness, deduplication, grounding."""
