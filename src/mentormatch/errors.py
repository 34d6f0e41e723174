"""The one exception the library raises: the job cannot continue at all."""

from __future__ import annotations


class MentormatchError(Exception):
    """A fatal problem with an input, output or configuration, described in one sentence."""
