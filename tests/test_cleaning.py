from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policynlp import clean
from policynlp.cleaning import FURNITURE_KINDS, CleanedText

SEEDS = Path(__file__).parent / "data" / "seeds"
SEED_000 = (SEEDS / "000_65c1a5511a9e70e1.txt").read_text(encoding="utf-8")
SEED_001 = (SEEDS / "001_fceec2214bc8c208.txt").read_text(encoding="utf-8")
SEED_002 = (SEEDS / "002_f83045ee5558e8cd.txt").read_text(encoding="utf-8")

BEFORE = "一、工作总结\n全年累计检测20.9万管，完成率109.5%。"
AFTER = "二、工作计划\n力争每千人医疗机构床位数达到6.5张左右。"


def assert_maps_back(cleaned: CleanedText) -> None:
    """Every kept character maps back to itself; regions and furniture tile the source."""
    source = cleaned.source
    for index, character in enumerate(cleaned.text):
        assert source[cleaned.to_source(index)] == character
    assert cleaned.to_source(len(cleaned.text)) <= len(source)
    previous_end = 0
    for start, end in cleaned.regions:
        assert previous_end <= start < end <= len(source)
        previous_end = end
    previous_end = 0
    for item in cleaned.furniture:
        assert previous_end <= item.start < item.end <= len(source)
        assert item.kind in FURNITURE_KINDS
        previous_end = item.end
    covered = sorted([*cleaned.regions, *((f.start, f.end) for f in cleaned.furniture)])
    position = 0
    for start, end in covered:
        assert start == position, "every character is either kept or furniture"
        position = end
    assert position == len(source)


def kinds(cleaned: CleanedText) -> set[str]:
    return {item.kind for item in cleaned.furniture}


# --- the seeds ---------------------------------------------------------------


def test_seed_000_loses_its_document_site_furniture():
    cleaned = clean(SEED_000)
    for furniture in (
        "工作计划材料.docx\n",
        "上传人:lao****ou",
        "格式:DOCX 页数:4 大小:7.72KB",
        "下载 相关 举报",
        ".docx_第1页",
        "第1页 / 共4页",
        "第4页 / 共4页",
        "亲,该文档总共4页",
        "资源描述",
        "由会员分享",
        "请在第一文库网上搜索",
        "1、卫生健康局",
        "仅供参考",
        "展开阅读全文",
        "相关资源",
        "猜你喜欢",
        "相关搜索",
        "当前位置",
        "copyright@",
        "经营许可证",
        "本站为文档C2C交易模式",
        "客服",
    ):
        assert furniture not in cleaned.text, furniture
    assert cleaned.text.strip().startswith(
        "卫生健康局2021年工作总结及2022年工作计划材料一、工作总结(一)新冠肺炎"
    )
    assert cleaned.text.strip().endswith("开展重点癌症筛查等民生实事健康服务项目。")
    assert kinds(cleaned) >= {
        "file_name",
        "upload_details",
        "page_actions",
        "page_marker",
        "preview_notice",
        "site_label",
        "share_notice",
        "chunk_number",
        "disclaimer",
        "expand_prompt",
        "related_tail",
    }
    assert_maps_back(cleaned)


def test_seed_000_chunk_numbers_go_and_cut_words_read_whole_again():
    text = clean(SEED_000).text
    for joined in (
        "期间投入使用。医院在年度三级公立医院绩效考核",
        "中医治未病、中医体验等服务。",
        "建设民营医疗机构党群服务中心",
        "医学教育与成果转化相结合的综合创新平台",
    ):
        assert joined in text
    for number in ("2、", "3、", "4、", "5、"):
        assert f"\n{number}" not in text


def test_seed_000_keeps_every_body_sentence():
    cleaned = clean(SEED_000)
    for sentence in (
        "一、工作总结(一)新冠肺炎疫情防控有力有效成功处置等多起突发疫情",
        "累计完成核酸筛查万人次,检测结果均为阴性。",
        "(四)基层健康服务能力持续提升完成家社康中心装修改造工作",
        "二、工作计划(一)慎始如终抓好常态化疫情防控",
        "加快构建全民免疫屏障。",
        "(四)着力构建健康建设新格局加大“三孩”生育政策宣传力度",
    ):
        assert sentence in cleaned.text


def test_seed_001_loses_site_header_teaser_adverts_and_buttons():
    cleaned = clean(SEED_001)
    for furniture in (
        "这里是普通文章模块栏目内容页",
        "[202年上半年工作总结]",
        "金寨、霍山全国基",
        "代写",
        "13258028938",
        "抖音账号",
        "收藏",
        "有帮助",
        "没帮助",
    ):
        assert furniture not in cleaned.text, furniture
    assert kinds(cleaned) >= {"site_header", "teaser", "advert", "page_actions"}
    assert_maps_back(cleaned)


def test_seed_001_keeps_the_notice_and_the_sentences_around_inline_adverts():
    text = clean(SEED_001).text
    for kept in (
        "关于印发《六安市卫健委2022年度上半年",
        "各县区卫健委,市直卫生健康单位:",
        "2022年7月25日",
        "稳妥处置0404突发疫情。",
        "全力支援宿州、蚌埠等市抗疫工作,累计派出检测车11采样人员400人次、检测人员84人次;妥善做好泗县",
        ")统筹抓好“一老一小”健康服务。",
        "做好意向、签约、开工和投产等落地产业项目信息收集和录入等工作。",
    ):
        assert kept in text, kept


def test_seed_002_loses_breadcrumb_upload_details_editor_note_and_footer():
    cleaned = clean(SEED_002)
    for furniture in (
        "当前位置:首页 > 工作总结 > 正文",
        "发布时间",
        "网友投稿",
        "下面是小编为大家整理的",
        "供大家参考",
        "版权所有",
        "博古范文网",
        "Powered by",
        "ICP备",
    ):
        assert furniture not in cleaned.text, furniture
    for kept in (
        "X县卫健委上半年工作总结【完整版】",
        "X县卫健委2021年上半年工作总结",
        "一、常态化疫情防控成效显著。",
        "一是加大重点人群排查管控。",
        "全县卫生监督覆盖率达XX%。",
    ):
        assert kept in cleaned.text, kept
    assert kinds(cleaned) >= {"breadcrumb", "upload_details", "editor_note", "copyright"}
    assert_maps_back(cleaned)


# --- made-up furniture of each kind ------------------------------------------

LINE_FURNITURE = [
    ("这里是普通文章模块栏目内容页", "site_header"),
    ("欢迎访问XX范文网", "site_header"),
    ("当前位置：首页 > 工作总结 > 正文", "breadcrumb"),
    ("您的位置：首页 » 范文大全 » 工作计划", "breadcrumb"),
    ("首页 > 应用文档 > 汇报材料", "breadcrumb"),
    ("首页 | 工作总结 | 工作计划 | 心得体会", "navigation"),
    ("上一篇：2021年卫生健康工作计划", "navigation"),
    ("下一篇：区卫健局年度工作总结", "navigation"),
    ("上传人:wang****ng 文档编号:88231 上传时间:2022-11-02 格式:DOC 页数:6 大小:25.1KB", "upload_details"),
    ("上传者：张** 上传时间：2022-05-01 格式：DOCX 页数：3", "upload_details"),
    ("发布时间：2023-02-11 10:21:09 来源：网友投稿 浏览次数：1123", "upload_details"),
    ("作者：佚名", "upload_details"),
    ("下载 相关 举报", "page_actions"),
    ("收藏 0 有帮助 0 没帮助 0", "page_actions"),
    ("分享到： 微信 微博 QQ空间", "page_actions"),
    ("【字体：大 中 小】 打印本页 关闭窗口", "page_actions"),
    ("第2页 / 共6页", "page_marker"),
    ("第 3 页 共 6 页", "page_marker"),
    ("- 3 -", "page_marker"),
    ("XX县卫健委工作总结.doc_第2页", "page_marker"),
    ("区卫生健康局2022年工作总结.pdf", "file_name"),
    ("资源描述", "site_label"),
    ("文档简介", "site_label"),
    ("点击展开全文", "expand_prompt"),
    ("亲，该文档总共6页，到这已经超出免费预览范围，如果喜欢就下载吧！", "preview_notice"),
    ("还剩5页未读，继续阅读", "preview_notice"),
    (
        "《区卫健局工作总结.doc》由会员分享，可在线阅读，更多相关《区卫健局工作总结.doc(6页珍藏版)》请在装配图网上搜索。",
        "share_notice",
    ),
    ("以下是小编为大家收集的卫健局工作总结，仅供参考，欢迎大家阅读。", "editor_note"),
    ("下面是小编为大家整理的2022年卫健委工作计划,希望对大家有所帮助。", "editor_note"),
    ("Copyright © 2019-2023 某某范文网 All Rights Reserved", "copyright"),
    ("某某文库网站版权所有", "copyright"),
    ("粤ICP备12345678号-2", "licence"),
    ("京公网安备 11010502030143号", "licence"),
    ("本文档仅供学习交流使用，请勿用于商业用途", "disclaimer"),
    ("免责声明：本站部分内容来源于网络，如有侵权请联系删除", "disclaimer"),
    ("本站所有资源均来自网友上传", "disclaimer"),
    ("点击下载完整版文档", "advert"),
    ("开通VIP 免费下载全站文档", "advert"),
    ("扫码关注公众号 获取更多范文", "advert"),
    ("代写各类材料 微信：wxid_8812345", "advert"),
    ("VIP", "page_actions"),
    ("[2022年工作要点]全面推进健康XX建设，持续深化医药卫生体制改革，加快构建", "teaser"),
]


@pytest.mark.parametrize(("line", "kind"), LINE_FURNITURE)
def test_clean_removes_made_up_furniture_lines(line, kind):
    cleaned = clean(f"{BEFORE}\n{line}\n{AFTER}")
    assert kind in kinds(cleaned)
    assert line not in cleaned.text
    assert BEFORE in cleaned.text and AFTER in cleaned.text
    assert_maps_back(cleaned)


INLINE_FURNITURE = [
    ("此处隐藏11840个字", "hidden_notice"),
    ("（此处隐藏3271个字）", "hidden_notice"),
    ("此处隐藏：2835字", "hidden_notice"),
    ("(代写文章:微信:13258028938)", "advert"),
    ("（微信：abc_123456）", "advert"),
    ("第1页/共4页", "page_marker"),
    ("展开阅读全文", "expand_prompt"),
]


@pytest.mark.parametrize(("inserted", "kind"), INLINE_FURNITURE)
def test_clean_removes_inline_furniture_mid_sentence_and_keeps_both_sides(inserted, kind):
    sentence = "全年累计完成核酸筛查万人次，检测结果均为阴性。"
    cleaned = clean(sentence[:8] + inserted + sentence[8:])
    assert cleaned.text == sentence
    assert kind in kinds(cleaned)
    assert_maps_back(cleaned)


def test_every_furniture_kind_is_exercised():
    exercised = {kind for _, kind in LINE_FURNITURE} | {kind for _, kind in INLINE_FURNITURE}
    exercised |= {"related_tail", "chunk_number", "disclaimer"}
    assert exercised == set(FURNITURE_KINDS)


def test_trailing_site_disclaimer_goes_but_a_report_sentence_about_reference_stays():
    assert (
        clean("开展重点癌症筛查等民生实事健康服务项目。仅供参考\n").text
        == "开展重点癌症筛查等民生实事健康服务项目。\n"
    )
    report = "以上数据仅供参考。\n表中数据为初步统计，仅供参考，以年报为准。"
    assert clean(report).text == report


@pytest.mark.parametrize(
    "marker", ["相关推荐", "猜你喜欢", "相关文档", "热门文章", "相关资源", "推荐阅读：", "大家都在看"]
)
def test_related_documents_tail_runs_to_the_end(marker):
    tail = "\n".join(
        [
            marker,
            "区卫健局2022年上半年工作总结",
            "2022-08-01",
            "县卫生健康局2021年工作总结及2022年工作思路",
            "乡镇卫生院年度工作计划",
        ]
    )
    cleaned = clean(f"{BEFORE}\n{AFTER}\n{tail}")
    assert cleaned.text.rstrip() == f"{BEFORE}\n{AFTER}"
    assert "related_tail" in kinds(cleaned)
    assert_maps_back(cleaned)


def test_related_documents_tail_stops_where_report_prose_resumes():
    prose = (
        "2022年，县卫健委坚持以人民健康为中心，统筹做好疫情防控和卫生健康工作。"
        "全年完成各项目标任务，群众满意度持续提升。"
    )
    text = "\n".join(
        [
            "热门文章",
            "区卫健局2022年上半年工作总结",
            "县卫健委工作要点",
            prose,
            "一、主要工作",
            "全面推进健康县建设。",
        ]
    )
    cleaned = clean(text)
    assert "区卫健局2022年上半年工作总结" not in cleaned.text
    assert prose in cleaned.text and "一、主要工作\n全面推进健康县建设。" in cleaned.text


def test_words_that_only_look_like_furniture_stay():
    report = "\n".join(
        [
            "相关推荐意见已报市政府审定。",
            "推进电子健康卡下载使用，累计下载10万次。",
            "群众可免费下载电子健康卡。",
            "核发药品经营许可证12张，保护版权所有者合法权益。",
            "来源地区人员全部落实管控措施。",
            "开通“先锋”微信公众号，开设“党史学习”专栏。",
            "全市1.2万人参加培训，第1批试点完成。",
            "正文",  # a lone 正文 is a site label; the lines above must survive beside it
        ]
    )
    cleaned = clean(report)
    assert cleaned.text == report[: report.rindex("\n") + 1]


# --- the chunk number 1、: furniture or heading --------------------------------


def test_chunk_number_before_a_title_named_by_the_page_is_furniture():
    text = (
        "《X县卫健委2022年工作总结.doc》由会员分享，可在线阅读，更多相关《X县卫健委2022年工作总结.doc》请在文库网上搜索。\n\n"
        "1、X县卫健委2022年工作总结\n全年接种疫苗10万剂次，完成率100%。加强医疗\n\n"
        "2、服务能力建设，新建社区医院2所。"
    )
    cleaned = clean(text)
    assert cleaned.text.strip() == (
        "X县卫健委2022年工作总结\n全年接种疫苗10万剂次，完成率100%。加强医疗服务能力建设，新建社区医院2所。"
    )
    assert [item.kind for item in cleaned.furniture] == ["share_notice", "chunk_number", "chunk_number"]


def test_chunk_number_before_a_title_running_into_the_first_heading_is_furniture():
    cleaned = clean("1、XX区卫生健康局2021年工作总结一、主要成效(一)疫情防控有力有效。")
    assert cleaned.text == "XX区卫生健康局2021年工作总结一、主要成效(一)疫情防控有力有效。"


@pytest.mark.parametrize(
    "text",
    [
        "X县卫健委2022年工作总结\n一、主要工作\n1、加强疫情防控。全年接种疫苗10万剂次。\n2、推进医改。组建医共体3个。",
        "1、加强疫情防控工作。全年接种疫苗10万剂次。\n2、推进医改。",
        "X县卫健委2022年工作总结.docx\n1、加强疫情防控。全年接种疫苗10万剂次。\n2、推进医改。",
        "1、卫生健康工作总结\n（一）疫情防控。",  # a heading followed by a line break, not by a glued 一、
    ],
)
def test_heading_numbered_one_is_kept(text):
    cleaned = clean(text)
    assert "chunk_number" not in kinds(cleaned)
    assert "1、" in cleaned.text and ("2、" in cleaned.text or "2、" not in text)


# --- robustness ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "🙂🙂",
        "\x00\x01\x1f\x7f",
        "\ud800",
        "a\r\nb",
        "\u2028\u2029",
        "(" * 50,
        "1、" * 50,
        "此处隐藏",
    ],
)
def test_clean_never_raises_on_odd_text(text):
    cleaned = clean(text)
    assert_maps_back(cleaned)


def test_clean_leaves_plain_report_text_whole():
    text = "一、工作总结\n全年累计检测20.9万管，完成率109.5%。"
    cleaned = clean(text)
    assert cleaned.regions == ((0, len(text)),) and cleaned.furniture == () and cleaned.text == text


def test_to_source_pieces_never_cross_furniture():
    text = "全力支援宿州(代写文章:微信:13258028938)、蚌埠等市抗疫工作。"
    cleaned = clean(text)
    pieces = cleaned.to_source_pieces(0, len(cleaned.text))
    assert [text[start:end] for start, end in pieces] == ["全力支援宿州", "、蚌埠等市抗疫工作。"]
    with pytest.raises(IndexError):
        cleaned.to_source_pieces(0, len(cleaned.text) + 1)


@pytest.mark.parametrize(
    "text",
    [
        " " * 200_000,
        "\n" * 200_000,
        "a\n" * 100_000,
        "收藏 " + "0" * 199_990 + "x",
        "相关推荐\n" * 40_000,
        "1、\n" * 66_000,
        ("稳妥处置突发疫情，累计检测1830.2万人次。此处隐藏12个字" * 8000)[:200_000],
        ((SEED_000 + SEED_001 + SEED_002) * 20)[:200_000],
    ],
    ids=[
        "spaces",
        "newlines",
        "short-lines",
        "counter-run",
        "tail-markers",
        "numbered-lines",
        "prose",
        "seeds",
    ],
)
def test_clean_handles_200k_character_reports(text):
    # Speed is measured in benchmarks/, not here; this checks that long pathological inputs complete.
    cleaned = clean(text)
    assert len(cleaned.text) <= len(text)
    assert all(cleaned.source[cleaned.to_source(i)] == cleaned.text[i] for i in range(0, len(cleaned.text), 997))


# --- properties ------------------------------------------------------------------

FURNITURE_ALPHABET = st.sampled_from(
    list(
        "一二1、。，.（）()\n \u3000\xa0第页共/此处隐藏个字"
        "相关推荐下载举报版权所有本站点击VIP亲该文档《》由会员分享"
    )
    + [
        "卫健委",
        "工作总结",
        ".docx",
        "_第2页",
        "仅供参考",
        "展开阅读全文",
        "当前位置:首页 > ",
        "发布时间: 2022-07-18",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_every_kept_character_maps_back_for_arbitrary_text(text):
    assert_maps_back(clean(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(FURNITURE_ALPHABET, max_size=80).map("".join))
def test_every_kept_character_maps_back_for_furniture_like_text(text):
    assert_maps_back(clean(text))


INSERTABLE_LINES = [line for line, kind in LINE_FURNITURE if kind != "teaser"]
INSERTABLE_INLINE = [inserted for inserted, _ in INLINE_FURNITURE]


@st.composite
def seed_with_furniture(draw):
    """A seed with furniture lines put between its lines and inline furniture put anywhere."""
    text = draw(st.sampled_from([SEED_000, SEED_001, SEED_002]))
    inserted: list[tuple[int, str]] = []  # (offset, furniture) of each insertion
    for _ in range(draw(st.integers(0, 4))):
        breaks = [index for index, character in enumerate(text) if character == "\n"]
        position = draw(st.sampled_from(breaks))
        line = draw(st.sampled_from(INSERTABLE_LINES))
        text = text[:position] + "\n" + line + text[position:]
        inserted = [(start + (len(line) + 1 if start >= position else 0), item) for start, item in inserted]
        inserted.append((position + 1, line))
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(INSERTABLE_INLINE))
        text = text[:position] + piece + text[position:]
        inserted = [(start + (len(piece) if start >= position else 0), item) for start, item in inserted]
        inserted.append((position, piece))
    return text, inserted


def _alone_on_its_line(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")


@settings(max_examples=150, deadline=None)
@given(seed_with_furniture())
def test_inserted_furniture_is_found_and_kept_characters_map_back(case):
    text, inserted = case
    cleaned = clean(text)
    assert_maps_back(cleaned)
    for start, piece in inserted:
        if text[start : start + len(piece)] != piece:
            continue  # a later insertion landed inside this one
        if piece in INSERTABLE_LINES and not _alone_on_its_line(text, start, start + len(piece)):
            continue  # inline furniture landed on this line: the line is no longer only furniture
        for offset in range(start, start + len(piece)):
            assert not any(
                region_start <= offset < region_end for region_start, region_end in cleaned.regions
            ), (
                piece,
                text[max(start - 20, 0) : start + len(piece) + 20],
            )
