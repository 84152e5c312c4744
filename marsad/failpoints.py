"""Named points where a test may kill the running process (``MARSAD_FAILPOINT=name``), to
check that a run killed there is completed by the next one. Unset, a failpoint does nothing."""

from __future__ import annotations

import os
import signal

FAILPOINT_VARIABLE = "MARSAD_FAILPOINT"


def failpoint(name: str) -> None:
    if os.environ.get(FAILPOINT_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
