"""The registry of topology specs, keyed by the name pages pass to ``topology()``.

Every module in this package that defines ``SPEC`` is a spec; adding a page's spec is adding
its module, nothing to register by hand. A spec that does not load (a syntax error, a model
error, a refused text) is a ``SnippetError`` naming its file and line.

The registry is keyed by the content of the spec files, so an edited spec is read again in
the same process (``mkdocs serve``), and its fingerprint in the record with it.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import io
import pkgutil
import re
import tokenize
import traceback
from pathlib import Path
from typing import Any

from ...paths import relative
from ...snippets.errors import SnippetError, read_source
from ..model import Topology, TopologyError
from ..validate import RefusedText, refused_reason

SPEC_DIR = Path(__file__).parent
_FILES: dict[str, Path] = {}
"""The file that defines each spec loaded so far, by spec name."""
_LOADED: dict[str, dict[str, Topology]] = {}
"""The specs as last loaded, under the digest of the spec files they were loaded from."""


def load_specs() -> dict[str, Topology]:
    """Every spec, read afresh from its file (each build sees the specs as they are now)."""
    specs: dict[str, Topology] = {}
    for module in sorted(pkgutil.iter_modules([str(SPEC_DIR)]), key=lambda m: m.name):
        path = SPEC_DIR / f"{module.name}.py"
        spec = _load(module.name, path)
        if spec is None:
            continue
        if spec.name in specs:
            raise SnippetError(
                relative(path), 1, f"topology {spec.name!r} is defined twice (also in another spec)"
            )
        specs[spec.name] = spec
        _FILES[spec.name] = relative(path)
    return specs


def _load(name: str, path: Path) -> Topology | None:
    """The ``SPEC`` of the module at ``path`` (not kept in ``sys.modules``)."""
    shown = relative(path)
    source = read_source(path, "spec", shown)  # invalid UTF-8 is named like everywhere else
    loader_spec = importlib.util.spec_from_file_location(f"{__name__}.{name}", path)
    assert loader_spec is not None and loader_spec.loader is not None
    module = importlib.util.module_from_spec(loader_spec)
    try:
        loader_spec.loader.exec_module(module)
    except SyntaxError as error:
        raise SnippetError(shown, error.lineno or 1, f"syntax error: {error.msg}") from None
    except RefusedText as error:
        line = _text_line(source, error.text) or _line_in(path, error)
        raise SnippetError(shown, line, str(error)) from None
    except Exception as error:
        raise SnippetError(shown, _line_in(path, error), _describe(error)) from None
    spec: Any = getattr(module, "SPEC", None)
    if spec is not None and not isinstance(spec, Topology):
        found = re.search(r"^SPEC\b", source, re.M)
        line = source.count("\n", 0, found.start()) + 1 if found else 1
        raise SnippetError(shown, line, f"SPEC must be a Topology, not {type(spec).__name__}")
    return spec


def _line_in(path: Path, error: Exception) -> int:
    """The last line of ``path`` that the traceback of ``error`` passed through."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == str(path)]
    return frames[-1].lineno or 1 if frames else 1


def _text_line(source: str, text: str) -> int | None:
    """The line of the string literal in ``source`` that makes ``text`` refused, if one does."""
    lines = io.StringIO(source).readline
    strings = (t for t in tokenize.generate_tokens(lines) if t.type == tokenize.STRING)
    for token in strings:
        value = ast.literal_eval(token.string)
        if isinstance(value, str) and value in text and refused_reason(value):
            return token.start[0]
    return None


def _describe(error: Exception) -> str:
    if isinstance(error, TopologyError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _specs() -> dict[str, Topology]:
    """Every spec, loaded again whenever a spec file was added, removed or edited."""
    key = _digest()
    if key not in _LOADED:
        specs = load_specs()
        _LOADED.clear()
        _LOADED[key] = specs
    return _LOADED[key]


def _digest() -> str:
    """A hash of the name and content of every file in ``SPEC_DIR``."""
    digest = hashlib.sha256(str(SPEC_DIR).encode())
    for path in sorted(SPEC_DIR.glob("*.py")):
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def get_spec(name: str, specs: dict[str, Topology] | None = None) -> Topology:
    """The spec called ``name``; ``TopologyError`` listing the known names otherwise."""
    specs = _specs() if specs is None else specs
    try:
        return specs[name]
    except KeyError:
        known = ", ".join(sorted(specs))
        raise TopologyError(f"unknown topology {name!r}; known: {known}") from None


def spec_file(name: str) -> Path:
    """The file that defines the spec called ``name`` (relative to the project)."""
    get_spec(name)
    return _FILES[name]


def __getattr__(name: str) -> Any:
    if name == "SPECS":
        return _specs()
    raise AttributeError(name)


__all__ = ["SPECS", "get_spec", "load_specs", "spec_file"]  # SPECS is computed on first use
