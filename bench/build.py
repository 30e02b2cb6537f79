"""Site build benchmarks: diagrams' cost, cold vs warm, and what a reader downloads.

Prints, from one run:
- warm ``mkdocs build --strict`` vs the same site with diagrams disabled (target <= 1.15x);
- cold (empty diagram cache) vs warm build;
- median page weight (HTML + the CSS, JS and images it loads; target < 400 KB), largest page.
Usage: ``.venv/bin/python bench/build.py [rounds]``.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "diagrams"
ASSET = re.compile(r'(?:src|href)="([^"#?]+\.(?:css|js|svg|png|woff2?))"')


def build(site: Path, **env: str) -> float:
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
        cwd=ROOT,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"} | env,
        check=True,
        capture_output=True,
    )
    return time.monotonic() - start


def page_weights(site: Path) -> dict[str, int]:
    """Bytes a reader fetches per page: the HTML plus every local asset it references."""
    weights = {}
    for page in site.rglob("index.html"):
        if "assets" in page.parts or page.parent.name == "search":
            continue
        base = "/" + str(page.relative_to(site))
        html = page.read_text(encoding="utf-8")
        assets = {urlparse(urljoin(base, m)).path for m in ASSET.findall(html)}
        files = [site / a.lstrip("/") for a in assets]
        weights[base] = page.stat().st_size + sum(f.stat().st_size for f in files if f.is_file())
    return weights


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.rmtree(CACHE, ignore_errors=True)
        cold = build(site)
        warm = statistics.median(build(site) for _ in range(rounds))
        bare = statistics.median(build(site, CNV_NO_DIAGRAMS="1") for _ in range(rounds))
        build(site)
        weights = page_weights(site)
    median_weight = statistics.median(weights.values())
    largest = max(weights, key=weights.get)
    print(f"cold build (empty diagram cache)   {cold:.2f} s")
    print(f"warm build                         {warm:.2f} s  (median of {rounds})")
    print(f"warm build, diagrams disabled      {bare:.2f} s")
    print(f"ratio warm / no diagrams           {warm / bare:.3f}  (target <= 1.15)")
    print(f"ratio cold / warm                  {cold / warm:.3f}")
    print(f"median page weight                 {median_weight / 1024:.0f} KB  (target < 400 KB)")
    print(f"largest page                       {largest} {weights[largest] / 1024:.0f} KB")


if __name__ == "__main__":
    main()
