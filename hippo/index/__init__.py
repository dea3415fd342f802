"""Job 1, indexing: read documents, chunk them, extract entities and facts, embed, write to the store."""
