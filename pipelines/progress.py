"""Compact progress lines for runs started from the `marsad` command."""

import logging
import sys

import dagster as dg

_SHOWN_EVENTS = {"STEP_SUCCESS", "STEP_FAILURE", "ASSET_CHECK_EVALUATION"}


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or "run"
        message = meta.get("orig_message", record.getMessage())
        if event is not None and event.event_type_value not in _SHOWN_EVENTS:
            return
        if event is None and record.levelno < logging.INFO:
            return
        print(f"  {step:<45} {message}", file=sys.stderr, flush=True)


@dg.logger(description="One line per step start, end, check and asset message, on stderr.")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("marsad.progress")
    log.setLevel(logging.DEBUG)
    log.handlers = [_ProgressHandler()]
    log.propagate = False
    return log
