"""Job 2, retrieval: a graph snapshot of a namespace, seed weighting per mode, Personalized PageRank."""
