"""One OpenAI-compatible client with its reply cache, JSON repair and errors."""
