"""`hippo serve` (the HTTP API) and `hippo mcp` (the MCP server for agents)."""

from __future__ import annotations

import argparse
import sys

from hippo.interfaces.cli.common import add_store_args, settings_from_args


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("serve", help="serve the HTTP API (docs at /docs)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--allow-unauthenticated", action="store_true",
                   help="serve a non-loopback address without API keys (anyone who reaches it can read and write)")
    p.add_argument("--no-warm", action="store_true", help="load models on the first request, not at start")
    add_store_args(p)
    p.set_defaults(func=cmd_serve)

    p = subparsers.add_parser("mcp", help="serve the MCP tools remember/recall/forget/inspect for agents")
    p.add_argument("--transport", choices=["stdio", "http"], default="stdio",
                   help="stdio (the agent starts this command) or streamable HTTP at /mcp (default stdio)")
    p.add_argument("--host", default="127.0.0.1", help="address for --transport http (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8001, help="port for --transport http (default 8001)")
    p.add_argument("--allow-unauthenticated", action="store_true",
                   help="serve a non-loopback address without API keys")
    add_store_args(p)
    p.set_defaults(func=cmd_mcp)


def _check_port(port: int) -> None:
    from hippo.errors import UserError

    if not 0 < port < 65536:
        raise UserError(f"--port must be between 1 and 65535, not {port}")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from hippo.interfaces.api import create_app
    from hippo.memory import Memory
    from hippo.service.keys import check_bind, describe_keys, load_api_keys

    _check_port(args.port)
    settings = settings_from_args(args)
    keys, source = load_api_keys(settings)
    notice = check_bind(args.host, keys, args.allow_unauthenticated)
    memory = Memory(settings)
    memory.store.ping()
    print(notice or describe_keys(keys, source), file=sys.stderr)
    if not args.no_warm:
        print("hippo: loading the embedding model ...", file=sys.stderr)
        _ = memory.embedder.embed(["warm-up"])
    print(f"hippo: serving {memory.store.uri} at http://{args.host}:{args.port} (docs: /docs)", file=sys.stderr)
    uvicorn.run(create_app(settings, memory), host=args.host, port=args.port, log_level="info")
    memory.close()
    return 0


def cmd_mcp(args: argparse.Namespace) -> int:
    from hippo.interfaces.mcp import build_server, http_app
    from hippo.interfaces.mcp_stdio import run_stdio
    from hippo.memory import Memory
    from hippo.service.keys import check_bind, describe_keys, load_api_keys

    settings = settings_from_args(args)
    with Memory(settings) as memory:
        if args.transport == "stdio":
            run_stdio(build_server(memory))  # stdout carries the protocol: notices go to stderr
            return 0
        import uvicorn

        _check_port(args.port)
        keys, source = load_api_keys(settings)
        notice = check_bind(args.host, keys, args.allow_unauthenticated)
        print(notice or describe_keys(keys, source), file=sys.stderr)
        if any(k.namespaces is not None for k in keys):
            print("hippo: note: namespace-scoped keys are refused here (403): MCP tools take any namespace, "
                  "so only keys for every namespace may use /mcp", file=sys.stderr)
        print(f"hippo: MCP over streamable HTTP at http://{args.host}:{args.port}/mcp", file=sys.stderr)
        uvicorn.run(http_app(memory, keys, args.host), host=args.host, port=args.port, log_level="info")
    return 0
