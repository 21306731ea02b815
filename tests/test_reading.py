from __future__ import annotations

import pytest

from policynlp.reading import ReportReadError, decode_report, read_report

TEXT = "六安市卫健委2022年度上半年工作总结"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_reports_decode_from_utf8_and_gb18030(encoding, tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(TEXT.encode(encoding))
    assert read_report(path) == TEXT


@pytest.mark.parametrize(
    "data, reason",
    [(b"", "empty"), (b"   \n", "empty"), ("\u3000\n".encode("utf-8"), "only whitespace"),
     (TEXT.encode("utf-16"), "not UTF-8 and not GB18030")],
)
def test_bad_reports_name_the_file_and_reason(data, reason, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ReportReadError, match=f"bad.txt: .*{reason}"):
        read_report(path)


def test_missing_and_directory_inputs_are_named(tmp_path):
    with pytest.raises(ReportReadError, match="no such file"):
        read_report(tmp_path / "missing.txt")
    with pytest.raises(ReportReadError, match="is a directory"):
        read_report(tmp_path)


def test_decode_names_the_source():
    with pytest.raises(ReportReadError, match="<stdin>: the file is empty"):
        decode_report(b"", "<stdin>")
