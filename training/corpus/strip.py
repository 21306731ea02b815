"""Write unlabelled copies of raw corpus files for an independent second labelling.

Usage::

    python -m training.corpus.strip OUT_DIR RAW_FILE...

Each copy keeps the id, carries ``#flatten: no`` (the text is already in its
final form) and holds the document's exact text with no marks.
"""

from __future__ import annotations

import sys
from pathlib import Path

from training.corpus.markup import parse_file


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out_dir, paths = Path(args[0]), [Path(arg) for arg in args[1:]]
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in paths:
        document = parse_file(path)
        header = f"#id: {document.id}\n#flatten: no\n#source: {document.meta.get('source', 'written')}\n---\n"
        (out_dir / path.name).write_text(header + document.text + "\n", encoding="utf-8")
        print(f"{path} -> {out_dir / path.name} ({len(document.text)} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
