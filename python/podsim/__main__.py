"""``python -m podsim run|check|sweep|... ARGS`` and the ``podsim`` console script: the C++ ``podsim`` command.

Owns finding the command shipped with this package and handing it the arguments (on POSIX the process
becomes it: same output, same exit status, signals go straight to it). Does not own any command's
behaviour: that is cli/ (interface.md §3); whatever subcommands that binary has, this passes through.

Where the command is looked for, first found wins: ``$PODSIM_CLI``; the package's ``bin/podsim`` (a wheel);
the build tree's ``build/podsim`` next to ``build/python/podsim`` (``PYTHONPATH=build/python``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli_path() -> Path:
    """The C++ ``podsim`` executable of this package. Raises FileNotFoundError saying where it looked."""
    here = Path(__file__).resolve().parent
    candidates = []
    if os.environ.get("PODSIM_CLI"):
        candidates.append(Path(os.environ["PODSIM_CLI"]))
    exe = "podsim.exe" if os.name == "nt" else "podsim"
    candidates += [here / "bin" / exe, here.parent.parent / exe]
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    raise FileNotFoundError("the podsim command is not installed with this package; looked at "
                            + ", ".join(map(str, candidates)) + " (set PODSIM_CLI to its path)")


def main(argv: list[str] | None = None) -> int:
    """Runs the C++ ``podsim`` with ``argv`` (default: this process's arguments); returns its exit status
    where the process cannot simply become it. Exit status 127 with a message when it is missing."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        exe = cli_path()
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 127
    if argv is None and os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(str(exe), ["podsim", *args])
    return subprocess.call([str(exe), *args])


if __name__ == "__main__":
    sys.exit(main())
