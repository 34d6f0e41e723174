"""mentormatch: validate, shortlist and optimally pair applicants to cross-government mentoring schemes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # the names below are imported lazily by __getattr__
    from mentormatch.config import Config, load_config  # noqa: F401
    from mentormatch.errors import MentormatchError  # noqa: F401
    from mentormatch.matching.pipeline import MatchResult, run_matching  # noqa: F401
    from mentormatch.outputs.frames import match, validate  # noqa: F401
    from mentormatch.validation.checks import ValidationResult, validate_file  # noqa: F401

_LAZY = {
    "Config": "mentormatch.config", "load_config": "mentormatch.config",
    "MentormatchError": "mentormatch.errors",
    "MatchResult": "mentormatch.matching.pipeline", "run_matching": "mentormatch.matching.pipeline",
    "ValidationResult": "mentormatch.validation.checks", "validate_file": "mentormatch.validation.checks",
    "match": "mentormatch.outputs.frames", "validate": "mentormatch.outputs.frames",  # pandas: imported on first use
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    """Import the public API on first use, so `mentormatch --help` stays fast."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mentormatch' has no attribute {name!r}")
