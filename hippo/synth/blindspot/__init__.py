"""Blind-spot scoring: which units the trainee model gets wrong."""
