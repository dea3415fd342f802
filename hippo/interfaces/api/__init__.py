"""Hippo over HTTP: a FastAPI app (``create_app``) served by ``hippo serve``."""

from hippo.interfaces.api.app import create_app

__all__ = ["create_app"]
