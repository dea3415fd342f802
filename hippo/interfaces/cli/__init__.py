"""The `hippo` command: one module per sub-command group, assembled in `main`."""
