"""Test support: the local OpenAI-compatible server and shared fixtures."""
