"""The ways in: the `hippo` command, the HTTP API, the MCP server and the graph explorer."""
