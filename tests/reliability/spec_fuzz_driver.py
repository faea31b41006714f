"""Run `dynagen build` (the CLI's main) on many spec files in one process; report each outcome.

    python tests/reliability/spec_fuzz_driver.py CASES_DIR RESULTS.json

CASES_DIR holds one folder per case: `spec/<file>` (the spec), `out/` (the output folder, as
it was before the build) and optionally `target`, the `-o` argument relative to the case folder
(default `out`). Only the case folders whose names are listed after RESULTS.json are run, when
any are (so that several drivers can share the cases). For each case the driver records the exit status, stdout, stderr, any
exception that escaped (as a traceback: there should be none) and the time taken; a case that
runs longer than DYNAGEN_FUZZ_CASE_SECONDS is interrupted and reported as a timeout. One process
for all cases because starting Python and importing black takes seconds per process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path


class CaseTimeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise CaseTimeout()


def main(cases_dir: str, results_path: str, only: list[str]) -> int:
    from dynagen.cli import main as dynagen_main

    limit = float(os.environ.get("DYNAGEN_FUZZ_CASE_SECONDS", "30"))
    signal.signal(signal.SIGALRM, _alarm)
    results = {}
    for case in sorted(Path(cases_dir).iterdir()):
        if only and case.name not in only:
            continue
        specs = sorted((case / "spec").iterdir())
        target = case / "target"
        out = case / (target.read_text(encoding="utf-8") if target.exists() else "out")
        stdout, stderr = io.StringIO(), io.StringIO()
        status: int | str
        escaped = ""
        started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                status = dynagen_main(["build", *map(str, specs), "-o", str(out)])
        except CaseTimeout:
            status = "timeout"
        except SystemExit as exit:
            status = exit.code if isinstance(exit.code, int) else 1
        except BaseException:  # noqa: BLE001 - exactly what the test wants to see
            status = "exception"
            escaped = traceback.format_exc()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        results[case.name] = {
            "status": status,
            "stdout": stdout.getvalue(),
            "stderr": stderr.getvalue(),
            "traceback": escaped,
            "seconds": round(time.monotonic() - started, 3),
        }
    Path(results_path).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
