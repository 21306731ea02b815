from __future__ import annotations

import pytest

from training.corpus.markup import MarkupError, parse_markup, render_markup

HEADER = "#id: doc-1\n#source: written\n---\n"


def test_markup_gives_offsets_links_and_trimmed_sections():
    body = (
        "{{I:金寨县卫健委}}工作总结\n"
        "<<public_health/summary>> {{M7:孕产妇死亡率}}为{{V7:8.5/10万}}，新建{{V:17家}}{{I:社康机构}}。 <</>>\n"
    )
    document = parse_markup(HEADER + body)
    text = document.text
    assert [text[e["start"]:e["end"]] for e in document.entities] == [
        "金寨县卫健委", "孕产妇死亡率", "8.5/10万", "17家", "社康机构"]
    section = document.sections[0]
    assert text[section["start"]:section["end"]].startswith("孕产妇死亡率")
    assert text[section["end"] - 1] == "。"
    metric, value = document.links[0]["metric"], document.links[0]["value"]
    assert text[slice(*metric)] == "孕产妇死亡率" and text[slice(*value)] == "8.5/10万"
    assert document.meta == {"source": "written"}


def test_markup_flatten_removes_line_breaks():
    document = parse_markup("#id: d\n#flatten: yes\n---\n一、总结\n<<overview/summary>>全年完成{{V:3项}}。<</>>\n")
    assert "\n" not in document.text
    assert document.text[document.entities[0]["start"]:document.entities[0]["end"]] == "3项"


@pytest.mark.parametrize(
    "body, message",
    [
        ("{{V:3项", "not closed"),
        ("{{V:3{{I:x}}}}", "inside another entity"),
        ("<<nothing/summary>>x<</>>", "unknown theme"),
        ("<<overview/later>>x<</>>", "unknown kind"),
        ("<<overview/plan>>x", "not closed"),
        ("{{V1:3项}}", "no METRIC"),
        ("{{V: 3项}}", "padded"),
        ("a}}b", "closes no entity"),
        ("{{D:2021\n年}}", "line break"),
    ],
)
def test_markup_errors_name_the_problem(body, message):
    with pytest.raises(MarkupError, match=message):
        parse_markup(HEADER + body, "raw/x.txt")


def test_render_markup_round_trips():
    body = "<<tcm/plan>>{{I:县中医院}}力争{{D:2025年}}创建{{V:2个}}重点专科。<</>>\n结束语"
    document = parse_markup(HEADER + body).to_dict()
    rendered = render_markup(document)
    again = parse_markup(HEADER + rendered).to_dict()
    assert again["entities"] == document["entities"] and again["sections"] == document["sections"]
