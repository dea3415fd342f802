"""The service layer under every interface (CLI, HTTP API, MCP server, graph explorer): the
checks every request passes (``limits``), API keys and namespace scopes (``keys``), one lock per
namespace (``locks``), background jobs (``jobs``), the subgraph reads and drawings (``subgraph``,
``drawing``) and ``core.Service``, which ties them to one shared Memory.

Nothing is imported here, so ``hippo.memory`` may use ``hippo.service.limits`` without a cycle.
"""
