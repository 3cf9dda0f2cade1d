"""nhos: an NHS organisation's Linux desktop estate as code.

Load an estate definition, validate it against the NHS desktop baseline, plan a
change, explain where a value comes from, edit the definition without losing
comments, and generate the Nix flake that builds its images.

    >>> import nhos
    >>> estate = nhos.load("examples/example-valley")
    >>> report = estate.validate(today="2026-11-23")
    >>> report.fails()
    False
"""

from nhos import types
from nhos._nhos import (
    ClosureDiff,
    Diagnostic,
    Drift,
    EditError,
    EditResult,
    Error,
    Estate,
    Explanation,
    Finding,
    FindingsError,
    GenerateError,
    GitError,
    LoadError,
    Origin,
    Plan,
    Profile,
    Report,
    Setting,
    UsageError,
    Why,
    __version__,
    closure_diff,
    load,
    load_git,
    load_many,
    plan,
)

__all__ = [
    "ClosureDiff",
    "Diagnostic",
    "Drift",
    "EditError",
    "EditResult",
    "Error",
    "Estate",
    "Explanation",
    "Finding",
    "FindingsError",
    "GenerateError",
    "GitError",
    "LoadError",
    "Origin",
    "Plan",
    "Profile",
    "Report",
    "Setting",
    "UsageError",
    "Why",
    "__version__",
    "closure_diff",
    "load",
    "load_git",
    "load_many",
    "plan",
    "types",
]
