"""Structured logs: one JSON object per line."""

import json
import logging
import time

logger = logging.getLogger("jipp.ops")


# --- Structured logs -----------------------------------------------------------------------------
class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, and the record's ``fields``."""

    converter = time.gmtime

    def format(self, record):
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update(getattr(record, "fields", {}))
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
