"""Reading report files: UTF-8 or GB18030, with errors that name the file and the reason."""

from __future__ import annotations

from pathlib import Path

from policynlp.errors import PolicyNLPError


class ReportReadError(PolicyNLPError):
    """A report file could not be read; the message names the file and why."""


def decode_report(data: bytes, name: str = "<bytes>") -> str:
    """Decode a report: UTF-8 (with or without a byte-order mark), else GB18030.

    Raises:
        ReportReadError: The bytes are neither UTF-8 nor GB18030, or hold no text.
    """
    if not data.strip():
        raise ReportReadError(f"{name}: the file is empty")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and "\x00" in text:
            break  # UTF-16 and binary files decode as GB18030 garbage with NULs
        if not text.strip():
            raise ReportReadError(f"{name}: the file holds only whitespace")
        return text
    raise ReportReadError(f"{name}: not UTF-8 and not GB18030 text")


def read_report(path: str | Path) -> str:
    """Read one report file (see :func:`decode_report`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportReadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportReadError(f"{path}: is a directory") from None
    except OSError as error:
        raise ReportReadError(f"{path}: unreadable ({error.strerror})") from None
    return decode_report(data, str(path))
