from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policynlp import clean, segment
from policynlp.records import Section

SEEDS = Path(__file__).parent / "data" / "seeds"
SEED_000 = (SEEDS / "000_65c1a5511a9e70e1.txt").read_text(encoding="utf-8")
SEED_001 = (SEEDS / "001_fceec2214bc8c208.txt").read_text(encoding="utf-8")
SEED_002 = (SEEDS / "002_f83045ee5558e8cd.txt").read_text(encoding="utf-8")


def texts(text: str) -> list[str]:
    return [text[section.start : section.end] for section in segment(text)]


def section_starting(text: str, prefix: str) -> Section:
    matches = [section for section in segment(text) if text.startswith(prefix, section.start)]
    assert len(matches) == 1, (prefix, len(matches))
    return matches[0]


def assert_well_formed(text: str, sections: list[Section]) -> None:
    """Sections are sorted, disjoint, in bounds, trimmed, non-empty and free of furniture."""
    furniture = clean(text).furniture
    previous_end = 0
    for section in sections:
        assert previous_end <= section.start < section.end <= len(text)
        body = text[section.start : section.end]
        assert body == body.strip()
        assert any(character.isalnum() for character in body)
        assert section.heading == (section.heading_path[-1] if section.heading_path else "")
        assert section.theme is None and section.kind is None
        previous_end = section.end
    for item in furniture:
        for section in sections:
            assert not (section.start < item.end and item.start < section.end), (item, section)


def assert_starts(text: str, prefixes: list[str]) -> None:
    sections = segment(text)
    assert [text[s.start : s.start + len(p)] for s, p in zip(sections, prefixes, strict=False)] == prefixes
    assert len(sections) == len(prefixes)
    assert_well_formed(text, sections)


# --- the seeds ---------------------------------------------------------------


def test_seed_000_with_its_line_breaks_lost_splits_at_headings():
    assert_starts(
        SEED_000,
        [
            "(一)新冠肺炎疫情防控有力有效",
            "(二)高水平医院建设再上台阶",
            "在年度三级公立医院绩效考核",  # the site's chunk number 2、 cut this sentence from the one above
            "(三)健康建设稳步推进",
            "体验等服务。",  # chunk number 3、
            "(四)基层健康服务能力持续提升",
            "(五)党史学习教育走深走实",
            "疗机构党群服务中心",  # chunk number 4、
            "(一)慎始如终抓好常态化疫情防控",
            "(二)大力推进医疗服务高质量发展",
            "相结合的综合创新平台",  # chunk number 5、
            "(三)持续提升基层健康服务水平",
            "(四)着力构建健康建设新格局",
        ],
    )


def test_seed_000_heading_paths():
    first = section_starting(SEED_000, "(一)新冠肺炎")
    assert first.heading_path == ("一、工作总结", "(一)新冠肺炎疫情防控有力有效成功处置等多起突发疫情")
    assert SEED_000[first.start : first.end].endswith("完成接种万人。")
    assert section_starting(SEED_000, "在年度三级").heading_path[-1].startswith("(二)高水平医院建设再上台阶")
    plan = section_starting(SEED_000, "(一)慎始如终")
    assert plan.heading_path[0] == "二、工作计划"
    assert plan.heading.startswith("(一)慎始如终抓好常态化疫情防控")
    assert SEED_000[plan.start : plan.end].endswith("加快构建全民免疫屏障。")


def test_seed_001_sections_follow_paragraphs_and_skip_the_notice_furniture():
    assert_starts(
        SEED_001,
        [
            "现将《六安市卫健委",
            "2022以来,全市卫健系统",
            "稳妥处置0404突发疫情。",
            "优化升级防控措施。",
            "提升应急处置能力。",
            "全力做好抗疫支援",
            # Inline adverts sit mid-sentence here; a section never covers furniture, so it is cut.
            "、蚌埠等市抗疫工作",
            "采样人员400人次",
            "妥善做好泗县",
            "行业党建持续加强。",
            "医疗服务能力提标。",
            "综合医改深化显效。",
            "公共卫生服务全面提升。",
            "“一老一小”服务不断优化。",
            "“双招双引”有力推进。",
            "上半年,虽然全市卫生健康工作",
            "(一)慎终如始抓好常态化疫情防控。",
            "(二)巩固深化综合医改成果。",
            "(三)持续提升医疗服务能力。",
            "(四)传承创新发展中医药事业。",
            ")统筹抓好“一老一小”健康服务。",
            "(六)加快推进重大项目建设和生命健康产业。",
        ],
    )


def test_seed_001_heading_paths():
    assert section_starting(SEED_001, "现将").heading_path == ()
    assert section_starting(SEED_001, "2022以来").heading_path == ()
    assert section_starting(SEED_001, "稳妥处置").heading_path == (
        "一、上半年工作总结",
        "(一)疫情防控从严从实",
    )
    assert section_starting(SEED_001, "行业党建").heading_path == (
        "一、上半年工作总结",
        "(二)卫生健康事业稳步发展",
    )
    assert section_starting(SEED_001, "上半年,虽然").heading_path == ("二、下半年工作安排",)
    own = section_starting(SEED_001, "(一)慎终如始")
    assert own.heading_path == ("二、下半年工作安排", "(一)慎终如始抓好常态化疫情防控")
    assert own.heading == "(一)慎终如始抓好常态化疫情防控"
    # The bracket of (五) was lost in scraping; the line still heads its own section at level 2.
    assert section_starting(SEED_001, ")统筹").heading_path == (
        "二、下半年工作安排",
        ")统筹抓好“一老一小”健康服务",
    )
    assert section_starting(SEED_001, "(六)").heading_path[0] == "二、下半年工作安排"


def test_seed_001_titles_addressee_and_date_are_not_sections():
    bodies = texts(SEED_001)
    for not_a_section in (
        "关于印发",
        "工作总结及下半年工作安排》的通知",
        "各县区卫健委",
        "2022年7月25日",
        "及下半年工作安排",
    ):
        assert not any(body.startswith(not_a_section) for body in bodies), not_a_section


def test_seed_002_splits_at_enumerators_and_keeps_headings_with_their_bodies():
    assert_starts(
        SEED_002,
        [
            "2021年,县卫健委在县委",
            "一、常态化疫情防控成效显著。进入常态化",
            "一是加大重点人群排查管控。",
            "二是落实好重点环节。",
            "三是全力实施疫苗接种。",
            "四是加强冷链核酸监测。",
            "二、健康扶贫工作持续巩固。",
            "全面落实贫困群众医疗保障措施",
            "全面落实家庭医生签约服务政策",
            "三、全国健康促进县成果全面加强。",
            "四、医药卫生体制改革不断深化。",
            "县医院心血管内科",
            "五、疾病防控能力显著增强。",
            "六、“两免、两癌”筛查工作圆满完成。",
            "七、医疗卫生重点项目建设推进顺利。",
            "八、基层医疗服务和人口健康管理水平不断提升。",
            "九、环保攻坚及卫生监督工作得到加强。",
        ],
    )


def test_seed_002_heading_paths():
    opening = section_starting(SEED_002, "一、常态化")
    assert opening.heading_path == ("一、常态化疫情防控成效显著",)
    assert SEED_002[opening.start : opening.end].endswith("为全市疫情救治工作提供了XX经验。")
    for enumerator in ("一是", "二是", "三是", "四是"):
        assert section_starting(SEED_002, enumerator).heading_path == ("一、常态化疫情防控成效显著",)
    assert section_starting(SEED_002, "全面落实贫困").heading_path == ("二、健康扶贫工作持续巩固",)
    assert section_starting(SEED_002, "2021年,").heading_path == ()


# --- heading markers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "level"),
    [
        ("一、", 1),
        ("一．", 1),
        ("（一）", 2),
        ("(一)", 2),
        ("（一)", 2),
        ("(一）", 2),
        ("（一）、", 2),
        ("1.", 3),
        ("1、", 3),
        ("1．", 3),
        ("１．", 3),
        ("１、", 3),
        ("1. ", 3),
        ("（1）", 4),
        ("(1)", 4),
        ("（１）", 4),
        ("(１)", 4),
    ],
)
def test_half_and_full_width_markers_head_the_text_under_them(marker, level):
    text = f"总体情况。\n一、主要工作\n{marker}加强疫情防控\n全年接种疫苗10万剂次，完成率100%。"
    last = segment(text)[-1]
    assert text[last.start : last.end] == "全年接种疫苗10万剂次，完成率100%。"
    expected = (f"{marker}加强疫情防控".strip(),) if level == 1 else ("一、主要工作", f"{marker}加强疫情防控")
    assert last.heading_path == expected


def test_heading_levels_nest_and_are_replaced_by_same_or_higher_levels():
    text = "\n".join(
        [
            "一、总结",
            "（一）疫情防控",
            "1.核酸检测",
            "（1）采样",
            "完成采样。",
            "（2）检测",
            "完成检测。",
            "2.疫苗接种",
            "完成接种。",
            "（二）医疗服务",
            "新建医院。",
            "二、计划",
            "做好防控。",
        ]
    )
    paths = {text[s.start : s.end]: s.heading_path for s in segment(text)}
    assert paths == {
        "完成采样。": ("一、总结", "（一）疫情防控", "1.核酸检测", "（1）采样"),
        "完成检测。": ("一、总结", "（一）疫情防控", "1.核酸检测", "（2）检测"),
        "完成接种。": ("一、总结", "（一）疫情防控", "2.疫苗接种"),
        "新建医院。": ("一、总结", "（二）医疗服务"),
        "做好防控。": ("二、计划",),
    }


def test_heading_with_its_own_body_is_a_section_and_its_own_heading():
    text = "\n".join(
        [
            "一、工作总结",
            "（一）疫情防控从严从实。稳妥处置0404突发疫情，快速有效处置。",
            "（二）医疗服务：全市新建社区医院2所。",
        ]
    )
    sections = segment(text)
    assert [text[s.start : s.end] for s in sections] == [
        "（一）疫情防控从严从实。稳妥处置0404突发疫情，快速有效处置。",
        "（二）医疗服务：全市新建社区医院2所。",
    ]
    assert [s.heading_path for s in sections] == [
        ("一、工作总结", "（一）疫情防控从严从实"),
        ("一、工作总结", "（二）医疗服务"),
    ]


def test_heading_followed_by_enumerators_is_only_a_heading():
    text = "（二）坚守安全底线。一是加强安全生产检查；二是做好信访维稳工作。"
    sections = segment(text)
    assert [text[s.start : s.end] for s in sections] == ["一是加强安全生产检查；", "二是做好信访维稳工作。"]
    assert all(s.heading_path == ("（二）坚守安全底线",) for s in sections)


def test_one_sentence_list_items_without_children_are_sections():
    text = "三、下步打算\n1.做好疫情防控。\n2.推进医共体建设。\n3.加强人才队伍建设"
    sections = segment(text)
    assert [text[s.start : s.end] for s in sections] == [
        "1.做好疫情防控。",
        "2.推进医共体建设。",
        "3.加强人才队伍建设",
    ]
    assert [s.heading for s in sections] == ["1.做好疫情防控", "2.推进医共体建设", "3.加强人才队伍建设"]
    assert all(s.heading_path[0] == "三、下步打算" for s in sections)


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("全年目标全部完成。二、工作计划\n做好防控。", ["全年目标全部完成。", "做好防控。"]),
        (
            "全年目标全部完成。（二）医疗服务。新建医院2所。",
            ["全年目标全部完成。", "（二）医疗服务。新建医院2所。"],
        ),
        (
            "全年目标全部完成；（二）医疗服务。新建医院2所。",
            ["全年目标全部完成；", "（二）医疗服务。新建医院2所。"],
        ),
        (
            "全年目标全部完成。”（二）医疗服务。新建医院2所。",
            ["全年目标全部完成。”", "（二）医疗服务。新建医院2所。"],
        ),
        ("主要做法：（1）加强领导；（2）完善制度。", ["主要做法：", "（1）加强领导；", "（2）完善制度。"]),
        ("主要做法:1.加强领导;2.完善制度。", ["主要做法:", "1.加强领导;", "2.完善制度。"]),
        ("全年目标全部完成。 1、新建医院2所。", ["全年目标全部完成。", "1、新建医院2所。"]),
    ],
)
def test_inline_headings_after_a_sentence_end_or_colon_open_pieces(text, starts):
    assert texts(text) == starts


def test_line_breaks_lost_title_and_first_headings_glued_together():
    text = (
        "XX区卫生健康局2021年工作总结一、工作总结(一)疫情防控有力有效。成功处置突发疫情。"
        "(二)医院建设再上台阶。区中医院开工。二、工作计划(一)抓好疫情防控。全面落实防控策略。"
    )
    sections = segment(text)
    assert [text[s.start : s.end] for s in sections] == [
        "(一)疫情防控有力有效。成功处置突发疫情。",
        "(二)医院建设再上台阶。区中医院开工。",
        "(一)抓好疫情防控。全面落实防控策略。",
    ]
    assert [s.heading_path for s in sections] == [
        ("一、工作总结", "(一)疫情防控有力有效"),
        ("一、工作总结", "(二)医院建设再上台阶"),
        ("二、工作计划", "(一)抓好疫情防控"),
    ]


def test_long_lead_phrase_of_a_glued_heading_is_cut_at_its_first_comma():
    text = "(四)基层健康服务能力持续提升完成家社康中心装修改造工作,持续推进社康工程建设。成立区域学科联盟。"
    assert segment(text)[0].heading == "(四)基层健康服务能力持续提升完成家社康中心装修改造工作"


# --- enumerators -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        (
            "一是加强领导。二是完善制度。三是压实责任。",
            ["一是加强领导。", "二是完善制度。", "三是压实责任。"],
        ),
        ("一要提高认识；二要压实责任。", ["一要提高认识；", "二要压实责任。"]),
        ("其一，加强领导。其二，完善制度。", ["其一，加强领导。", "其二，完善制度。"]),
        ("第一，提高认识。第二，压实责任。", ["第一，提高认识。", "第二，压实责任。"]),
        ("工作要求：一是提高认识，二是压实责任。", ["工作要求：", "一是提高认识，", "二是压实责任。"]),
        (
            "今年主要做了以下工作，一是加强防控，二是推进医改，三是强化监管。",
            ["今年主要做了以下工作，", "一是加强防控，", "二是推进医改，", "三是强化监管。"],
        ),
        ("十一是做好其他工作。十二是抓好落实。", ["十一是做好其他工作。", "十二是抓好落实。"]),
    ],
)
def test_enumerators_open_sections(text, starts):
    assert texts(text) == starts


def test_enumerators_are_not_headings():
    text = "一、主要工作\n一是加强领导。\n二是完善制度。"
    assert [s.heading_path for s in segment(text)] == [("一、主要工作",), ("一、主要工作",)]


# --- false positives ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "全县上下统一是关键，统一要求、统一部署、统一调度。",
        "我院获得全省第一名，第一批试点顺利完成，第一次实现全覆盖。",
        "全年检测1.2万人，达标率95.65%，增长了2.",
        "一、二季度全市完成接种10万剂次。",
        "3、4月份开展专项督查，5.6万人参加。",
        "第一、二季度全市完成接种。",
        "坚持一是一、二是二的原则。",
        "2021、2022年连续获评全国健康县。",
        "市政府办公室（2022）12号文件要求，执业（助理）医师数2.9人。",
        "工作中，一是要注意安全。",  # a lone 一是 after a comma is not a list
        "全市(一)类疫苗接种率达到95%，1、2号楼主体封顶。",
        "排名第9，较上一年提升200个名次，位居安徽省第8名。",
    ],
)
def test_numbers_and_words_that_look_like_markers_do_not_split(text):
    assert texts(text) == [text]


def test_marker_with_nothing_after_it_is_not_a_heading():
    text = "一、主要工作\n全年完成接种。\n2."
    assert [s.heading_path for s in segment(text)] == [("一、主要工作",), ("一、主要工作",)]


# --- titles, addressees, dates, signatures, unmarked headings ---------------------


def test_notice_title_addressee_date_and_signature_are_not_sections():
    text = "\n".join(
        [
            "关于印发《XX县2022年卫生健康工作要点》的通知",
            "各乡镇卫生院、县直医疗卫生单位：",
            "现将《要点》印发给你们，请认真贯彻落实。",
            "XX县卫生健康局",
            "2022年3月1日",
            "XX县2022年卫生健康工作要点",
            "——在全县卫生健康工作会议上的讲话",
            "一、总体要求",
            "坚持以人民健康为中心。",
            "XX县卫生健康局",
            "二〇二二年三月一日",
        ]
    )
    assert texts(text) == ["现将《要点》印发给你们，请认真贯彻落实。", "坚持以人民健康为中心。"]
    assert segment(text)[-1].heading_path == ("一、总体要求",)


def test_lead_in_ending_with_a_colon_is_a_section_not_an_addressee():
    text = "X县卫健委2022年工作总结\n现将全年工作情况报告如下：\n一、主要成效\n全年接种疫苗10万剂次。"
    assert texts(text) == ["现将全年工作情况报告如下：", "全年接种疫苗10万剂次。"]


def test_short_unmarked_line_before_prose_heads_it():
    text = "\n".join(
        [
            "报告正文开始。",
            "一、主要成效",
            "疫苗接种",
            "全年接种疫苗10万剂次，完成率100%。",
            "医疗服务",
            "新建社区医院2所，床位500张。",
        ]
    )
    sections = segment(text)
    assert [text[s.start : s.end] for s in sections] == [
        "报告正文开始。",
        "全年接种疫苗10万剂次，完成率100%。",
        "新建社区医院2所，床位500张。",
    ]
    assert [s.heading_path for s in sections] == [
        (),
        ("一、主要成效", "疫苗接种"),
        ("一、主要成效", "医疗服务"),
    ]


def test_text_of_short_lines_only_is_not_swallowed_by_titles():
    text = "\n".join(f"第{index}项" for index in range(1, 21))
    assert len(segment(text)) >= 10


def test_furniture_mid_sentence_cuts_the_section_and_is_never_covered():
    text = "全力支援宿州(代写文章:微信:13258028938)、蚌埠等市抗疫工作。累计检测此处隐藏120个字万人次。"
    assert texts(text) == ["全力支援宿州", "、蚌埠等市抗疫工作。累计检测", "万人次。"]


def test_page_furniture_lines_are_never_sections():
    text = "\n".join(
        [
            "一、工作总结",
            "全年完成接种。",
            "第2页 / 共6页",
            "下载 相关 举报",
            "全年新建医院2所。",
            "相关推荐",
            "X县工作总结",
        ]
    )
    assert texts(text) == ["全年完成接种。", "全年新建医院2所。"]


def test_segment_accepts_the_cleaning_the_caller_already_has():
    cleaned = clean(SEED_001)
    assert segment(SEED_001, cleaned=cleaned) == segment(SEED_001)
    with pytest.raises(ValueError, match="another text"):
        segment(SEED_002, cleaned=cleaned)


# --- robustness ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n",
        "🙂",
        "\x00\x1f",
        "\ud800",
        ")",
        "（",
        "一、",
        "1.",
        "一是",
        "\u2028一、\u2029（一）",
        "。" * 10,
    ],
)
def test_segment_never_raises_on_odd_text(text):
    assert_well_formed(text, segment(text))


@pytest.mark.parametrize(
    "text",
    [
        ((SEED_000 + SEED_001 + SEED_002) * 20)[:200_000],
        "a\n" * 100_000,
        ("。一、二是(三)1.（2）一是，二是" * 20_000)[:200_000],
        ("一" * 200_000),
        (" " * 200_000),
    ],
    ids=["seeds", "short-lines", "markers", "numerals", "spaces"],
)
def test_segment_handles_200k_character_reports(text):
    # Speed is measured in benchmarks/, not here; this checks that long pathological inputs complete.
    sections = segment(text)
    assert len(sections) <= len(text)
    assert_well_formed(text, sections)


MARKER_ALPHABET = st.sampled_from(
    list("一二三十1２.．、，,。；：:！？（）() \n\u3000是要其第页共此处隐藏”“")
    + [
        "一、",
        "（一）",
        "(二)",
        "1.",
        "（1）",
        "一是",
        "二是",
        "第一，",
        "统一是",
        "1.2万",
        "95.65%",
        "工作总结",
        "卫健委",
        "2022年7月25日",
        "关于印发《",
        "》的通知",
        "各单位：",
        "仅供参考",
        "下载 相关 举报",
        "相关推荐\n",
        "第1页 / 共4页",
        "(代写:微信:12345678)",
        "此处隐藏12个字",
        "\n1、",
        "\n\n2、",
        "X.docx\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_sections_are_well_formed_for_arbitrary_text(text):
    assert_well_formed(text, segment(text))


@settings(max_examples=400, deadline=None)
@given(st.lists(MARKER_ALPHABET, max_size=60).map("".join))
def test_sections_are_well_formed_for_marker_heavy_text(text):
    assert_well_formed(text, segment(text))


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([SEED_000, SEED_001, SEED_002]),
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.sampled_from(
                ["\n第2页 / 共4页\n", "此处隐藏300个字", "\n下载 相关 举报\n", "(微信:wx123456)"]
            ),
        ),
        max_size=4,
    ),
)
def test_sections_of_seeds_with_furniture_inserted_never_cover_it(seed, insertions):
    text = seed
    for fraction, furniture in insertions:
        position = int(fraction * len(text))
        text = text[:position] + furniture + text[position:]
    assert_well_formed(text, segment(text))
