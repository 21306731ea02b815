"""Check raw corpus files: parse the markup, count, and flag likely guideline slips.

Usage::

    python -m training.corpus.check training/data/raw/w01/*.txt [--quiet]

Errors (broken markup) make the command exit 1. Warnings point at spans that
often break ANNOTATION.md (a comparison verb inside a VALUE, a relative word
tagged as DATE, a bare head tagged as INSTITUTION, numbers left untagged); each
is a place to look, not a verdict.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from training.corpus.markup import MarkupError, RawDocument, parse_file

_VALUE_VERB_PREFIX = re.compile(r"^(超过|不足|不少于|不低于|突破|达到|达|提升至|增至|为|约为)")
_RELATIVE_DATES = {"年底", "年初", "年内", "近期", "目前", "今年", "去年", "明年", "当年", "全年"}
_BARE_INSTITUTIONS = {"医院", "单位", "机构", "部门", "我局", "局里", "本局", "我委"}
_NOT_INSTITUTIONS = {"医共体", "医联体", "专科联盟", "发热门诊", "胸痛中心"}
# Heads that usually end an indicator's name (ANNOTATION.md METRIC).
_INDICATOR_HEAD = re.compile(r"率|比例|占比|满意度|排名|床位数|人员数|医师数|护士数|医生数|指数|覆盖面")
# Between a METRIC and the VALUE that reports it: no clause break.
_CLAUSE_BREAK = re.compile(r"[。；;！？\n]")
# Digits that are not list markers, page numbers or inside a tagged span.
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


def lint(document: RawDocument) -> list[str]:
    """Return warnings for spans that often break the guideline."""
    text = document.text
    warnings = []
    covered = [False] * len(text)
    for entity in document.entities:
        span = text[entity["start"]:entity["end"]]
        for index in range(entity["start"], entity["end"]):
            covered[index] = True
        where = f"[{entity['start']},{entity['end']}) {entity['label']} {span!r}"
        if entity["label"] == "VALUE" and _VALUE_VERB_PREFIX.match(span):
            warnings.append(f"{where}: comparison verb inside a VALUE")
        if entity["label"] == "DATE" and span in _RELATIVE_DATES:
            warnings.append(f"{where}: relative word tagged as DATE")
        if entity["label"] == "INSTITUTION" and span in _BARE_INSTITUTIONS | _NOT_INSTITUTIONS:
            warnings.append(f"{where}: not an INSTITUTION under the guideline")
        if entity["label"] == "VALUE" and re.fullmatch(r"(19|20)\d\d年?", span):
            warnings.append(f"{where}: a year tagged as VALUE")
    for match in _INDICATOR_HEAD.finditer(text):
        if any(covered[match.start():match.end()]):
            continue
        context = text[max(0, match.start() - 12):match.end() + 6].replace("\n", " ")
        warnings.append(f"[{match.start()},{match.end()}) untagged indicator head {match.group()!r} in …{context}…")
    linked_values = {(link["value"][0], link["value"][1]) for link in document.links}
    ordered = sorted(document.entities, key=lambda entity: entity["start"])
    for index, entity in enumerate(ordered):
        if entity["label"] != "METRIC":
            continue
        for following in ordered[index + 1:index + 4]:
            if following["label"] == "METRIC" or _CLAUSE_BREAK.search(text[entity["end"]:following["start"]]):
                break
            if following["label"] == "VALUE" and (following["start"], following["end"]) not in linked_values \
                    and following["start"] - entity["end"] <= 12:
                context = text[entity["start"]:following["end"]].replace("\n", " ")
                warnings.append(f"[{following['start']},{following['end']}) VALUE after a METRIC in one clause "
                                f"but not linked: …{context}…")
                break
    for match in _NUMBER.finditer(text):
        if any(covered[match.start():match.end()]):
            continue
        after = text[match.end():match.end() + 1]
        if after in {"、", ".", "．"} and (match.start() == 0 or text[match.start() - 1] in "\n（(。：:；; "):
            continue  # a list marker
        context = text[max(0, match.start() - 8):match.end() + 8].replace("\n", " ")
        warnings.append(f"[{match.start()},{match.end()}) untagged number {match.group()!r} in …{context}…")
    return warnings


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    quiet = "--quiet" in args
    paths = [Path(arg) for arg in args if arg != "--quiet"]
    labels: Counter = Counter()
    themes: Counter = Counter()
    kinds: Counter = Counter()
    characters = links = failures = documents = 0
    for path in paths:
        try:
            document = parse_file(path)
        except MarkupError as error:
            print(f"ERROR {error}")
            failures += 1
            continue
        documents += 1
        characters += len(document.text)
        labels.update(entity["label"] for entity in document.entities)
        themes.update(section["theme"] for section in document.sections)
        kinds.update(section["kind"] for section in document.sections)
        links += len(document.links)
        if not quiet:
            for warning in lint(document):
                print(f"warn {path}: {warning}")
    print(f"{documents} documents, {characters} characters, {sum(labels.values())} entities, {links} links")
    print("entities: " + ", ".join(f"{label} {count}" for label, count in sorted(labels.items())))
    print("themes:   " + ", ".join(f"{theme} {count}" for theme, count in sorted(themes.items())))
    print("kinds:    " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    if failures:
        print(f"{failures} file(s) failed to parse")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
