"""Readers of the formats users have besides text and JSON: PDF, HTML, CSV/TSV and Parquet tables,
and datasets saved with Hugging Face ``datasets``. Each returns Documents and ReadProblems like
the readers in hippo.index.ingest, and imports its library only when a file of its kind is read."""
