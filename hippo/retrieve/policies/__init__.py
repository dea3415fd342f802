"""Retrieval modes as policy classes: each turns a query into a ranking of a snapshot's passages.
``registry`` lists them; the CLI, the API, MCP and the settings read the mode names from there."""
