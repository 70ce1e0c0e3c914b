"""Write ``constraints.txt``: the exact versions of everything ``juro_privacy[test]``
depends on, as installed in the running environment.

An audit run is reproducible only with the same libraries: plotly, nbconvert,
papermill, pandas, duckdb, ibis and holidays versions all change report bytes or
figures. The README's two commands install with ``-c constraints.txt``. To update the
pins: install the project in a fresh virtualenv without the constraints (``pip install
-e ".[test]"``), run the tests, then ``python tools/constraints.py`` and commit the file.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def closure(name: str, extras: set[str]) -> dict[str, str]:
    """Every distribution ``name[extras]`` needs, installed here, with its version."""
    found: dict[str, str] = {}
    todo = [(name, frozenset(extras))]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        dist_name, dist_extras = todo.pop()
        if (dist_name, dist_extras) in seen:
            continue
        seen.add((dist_name, dist_extras))
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency for another platform or Python
        key = re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()
        if key != "juro-privacy":
            found[key] = dist.version
        for line in dist.requires or []:
            req = Requirement(line)
            env = {"extra": ""}
            wanted = not req.marker or any(
                req.marker.evaluate({**env, "extra": extra}) for extra in [*dist_extras, ""]
            )
            if wanted:
                todo.append((req.name, frozenset(req.extras)))
    return found


def main() -> None:
    pins = closure("juro-privacy", {"test"})
    header = (
        "# Exact versions for a reproducible audit run (see tools/constraints.py to update).\n"
        f"# Written with Python {sys.version_info.major}.{sys.version_info.minor}.\n"
    )
    body = "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))
    (ROOT / "constraints.txt").write_text(header + body, encoding="utf-8")
    print(f"constraints.txt: {len(pins)} pins")


if __name__ == "__main__":
    main()
