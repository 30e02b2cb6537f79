"""Docker contexts written the way ``docker context create`` stores them, for the tests of
how the project finds the engine (``macros.runner.connect``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def write_context(config: Path, name: str, host: str) -> None:
    """A context ``name`` whose docker endpoint is ``host``, under the config folder ``config``."""
    meta = config / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta.mkdir(parents=True)
    endpoint = {"Host": host, "SkipTLSVerify": False}
    (meta / "meta.json").write_text(
        json.dumps({"Name": name, "Metadata": {}, "Endpoints": {"docker": endpoint}})
    )
