"""The local page of `mentormatch serve`: the same round as the CLI, in the coordinator's own browser.

Sits just below the CLI: it may import every library layer, and renders what they return (it
computes nothing of its own). Starlette, Jinja2, uvicorn and tomli-w are imported here only: they
come with the optional `[web]` extra, so the CLI never loads them.
"""
