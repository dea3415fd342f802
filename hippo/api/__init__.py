"""Hippo over HTTP: a FastAPI app (``create_app``) served by ``hippo serve``."""

from hippo.api.app import create_app

__all__ = ["create_app"]
