"""OpenIE extractors: spaCy (offline default), LLM (OpenAI-compatible), imported files."""
