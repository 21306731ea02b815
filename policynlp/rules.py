"""A rules-only extractor: regular expressions and lexicons, no model.

It is the baseline the trained model must beat, label by label, and a fallback
that needs nothing but the standard library. DATE and VALUE follow surface
patterns closely; INSTITUTION and METRIC come from suffix lexicons with a
trimmed prefix; theme and kind from keyword counts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from policynlp.schema import KINDS, THEMES

_YEAR = r"(?:(?:19|20)\d{2}|[xX]{4})"
_MONTH = r"(?:1[0-2]|0?[1-9]|[xX]{1,2})"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|[xX]{1,2})"
_HALF = r"(?:[上下]半年|[一二三四1-4]季度)"
DATE_PATTERN = re.compile(
    rf"{_YEAR}年(?:度)?(?:{_HALF}|{_MONTH}(?:[—\-至到]{_MONTH})?月(?:{_DAY}日)?(?:[底初]|份)?)?"
    rf"|{_MONTH}月{_DAY}日(?:[上下]午|凌晨|晚)?(?:\d{{1,2}}时)?"
    rf"|{_MONTH}月(?:[底初]|份)"
    rf"|{_HALF}"
)

_ARABIC = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_MASKED = r"[xXＸ]{1,4}"
_CHINESE = r"[零〇一二两三四五六七八九十百千万亿]+"
_SCALE = r"(?:万亿|千万|百万|亿|万|千)?"
_UNITS = (
    "个百分点|百分点|万人次|人次|%|％|‰|个|家|人|名|所|项|张|台|例|支|批次|批|轮次|轮|次|份|元|平方米|㎡|公里|千米|米|"
    "管|剂|床|间|套|件|场|期|篇|户|座|辆|天|小时|分钟|周|倍|分|类|条|处|块|首|种|层|亩|吨|箱|盒|本|部|位|科|队|站|"
    "毫升|升|千克|公斤|克"
)
_PER = r"(?:/(?:千|万|十万|10万|百)?(?:人|人口|床|名))?"
_BOUND = r"(?:以上|以下|以内|左右|余|多)?"
VALUE_PATTERN = re.compile(
    rf"(?:约|近)?第{_ARABIC}(?:名|位)?"
    rf"|前(?:{_ARABIC}|[十二三四五六七八九]+)(?:名|位)?"
    rf"|(?:约|近)?(?:{_ARABIC}|{_MASKED}){_SCALE}(?:余|多)?(?:{_UNITS}){_PER}{_BOUND}"
    rf"|(?:约|近)?{_ARABIC}/{_ARABIC}"
    rf"|(?:约|近)?{_CHINESE}(?:余|多)?(?:个|家|人|名|所|项|批|支|轮|次|级|倍|张|台|例)"
    rf"|百分之{_CHINESE}"
)

_INSTITUTION_SUFFIXES = (
    "人民医院|中医医院|中医院|中西医结合医院|妇幼保健院|妇幼保健计划生育服务中心|医院|卫生院|卫生室|"
    "疾病预防控制中心|疾控中心|卫生健康委员会|卫生健康局|卫健委|卫健局|卫生局|社区卫生服务中心|社区卫生服务站|"
    "急救中心|急救指挥中心|血站|医疗集团|医共体|卫生监督所|卫生监督执法局|医疗保障局|医保局|市场监管局|"
    "教育局|民政局|财政局|人社局|政府|党委|党组|党支部|党总支|大学|学院|研究院|公司|协会|学会|基金会|医疗机构|"
    "托育机构|养老机构|医养结合机构|服务中心|保健所|管理局|委员会"
)
INSTITUTION_PATTERN = re.compile(rf"[\u4e00-\u9fffA-ZX（）()]{{0,10}}?(?:{_INSTITUTION_SUFFIXES})")
# Characters that never sit inside an institution's name: cut the prefix after the last one.
_NAME_BREAK = re.compile(r".*[的在和与及对为将由等个家所了是把被从向到给共各全已于以和并或每新建开展组织推进加强完成实现]")

_METRIC_HEADS = "率|比例|占比|满意度|覆盖面|排名|指数|密度|床位数|医师数|护士数|人数|次均费用|平均住院日"
METRIC_PATTERN = re.compile(rf"[\u4e00-\u9fff、（）()0-9岁以上及]{{1,16}}?(?:{_METRIC_HEADS})(?=\s*(?:达到|达|为|提升|提高|下降|降至|降低|保持|稳定|控制|居|位列|增长|超过|由|从|较|同比|均|分别|：|:))")
_METRIC_BREAK = re.compile(r".*[，。；、的在和与及对将由等使确保推动提升提高实现全力加快持续其中]")

THEME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "overview": ("总体", "全年", "各项工作", "圆满完成", "现将", "报告如下", "坚强领导", "高质量发展"),
    "epidemic_response": ("疫情", "核酸", "新冠", "隔离", "流调", "应急", "防控", "疫苗接种", "方舱"),
    "medical_services": ("医疗质量", "等级医院", "重点专科", "三级医院", "二甲", "三甲", "胸痛", "卒中", "急救", "服务能力", "学科"),
    "primary_care": ("基层", "家庭医生", "签约", "乡镇卫生院", "村卫生室", "社区卫生", "乡村医生", "优质服务基层行"),
    "public_health": ("公共卫生", "慢病", "免疫规划", "爱国卫生", "健康教育", "传染病", "结核", "艾滋病", "职业病", "健康促进", "健康素养"),
    "tcm": ("中医", "中医药", "国医", "中药", "针灸", "治未病"),
    "maternal_child_elderly": ("妇幼", "孕产妇", "婴儿", "儿童", "托育", "养老", "老年", "医养结合", "出生", "生育", "一老一小"),
    "health_reform": ("医改", "医共体", "医联体", "分级诊疗", "集中带量采购", "集采", "医保", "支付方式", "薪酬", "三明"),
    "party_conduct": ("党建", "党组", "党员", "廉政", "作风", "主题教育", "巡察", "纪律", "党支部", "意识形态"),
    "infrastructure": ("项目", "建设", "投资", "专项债", "开工", "竣工", "新院区", "资金", "改扩建", "主体工程"),
    "talent_research": ("人才", "培训", "招聘", "引进", "科研", "学术", "规培", "继续教育", "研究生", "课题"),
    "regulation_safety": ("监督", "执法", "法治", "依法", "安全生产", "信访", "12345", "投诉", "检查", "整治", "消防"),
    "digital_health": ("信息化", "智慧", "互联网", "数字", "平台", "电子健康", "数据", "远程", "信息系统", "云"),
}
_PROBLEM = ("存在", "不足", "短板", "问题", "薄弱", "滞后", "欠缺", "不够", "差距", "不平衡", "不充分", "较低", "缺乏")
_PLAN = ("将", "要", "力争", "计划", "拟", "下一步", "下步", "确保", "争取", "着力", "进一步", "打算")
_SUMMARY = ("累计", "完成", "已", "实现", "全年", "共", "开展", "成功", "取得", "达到", "建成", "创建")


@dataclass(frozen=True)
class RuleSpan:
    start: int
    end: int
    label: str


def _trim_prefix(text: str, start: int, end: int, breaks: re.Pattern, core_length: int) -> int:
    """Move ``start`` past the last character that cannot belong to the name, keeping the core."""
    prefix = text[start:end - core_length]
    match = breaks.match(prefix)
    return start + match.end() if match else start


def extract_entities(text: str) -> list[RuleSpan]:
    """Entity spans found by the rules, non-overlapping, in text order (DATE, then VALUE, then the rest)."""
    taken = [False] * len(text)
    spans: list[RuleSpan] = []

    def claim(start: int, end: int, label: str) -> None:
        if start < end and not any(taken[start:end]):
            spans.append(RuleSpan(start, end, label))
            for index in range(start, end):
                taken[index] = True

    for match in DATE_PATTERN.finditer(text):
        claim(match.start(), match.end(), "DATE")
    for match in VALUE_PATTERN.finditer(text):
        span = match.group()
        if re.fullmatch(r"一(?:个|家|项|批|支|名|次)", span):
            continue  # an article-like 一, not a value
        claim(match.start(), match.end(), "VALUE")
    for match in INSTITUTION_PATTERN.finditer(text):
        suffix = re.search(rf"(?:{_INSTITUTION_SUFFIXES})$", match.group())
        start = _trim_prefix(text, match.start(), match.end(), _NAME_BREAK, len(suffix.group()))
        claim(start, match.end(), "INSTITUTION")
    for match in METRIC_PATTERN.finditer(text):
        head = re.search(rf"(?:{_METRIC_HEADS})$", match.group())
        start = _trim_prefix(text, match.start(), match.end(), _METRIC_BREAK, len(head.group()))
        if match.end() - start >= 2:
            claim(start, match.end(), "METRIC")
    return sorted(spans, key=lambda span: span.start)


def classify_section(text: str, themes: tuple[str, ...] = THEMES, kinds: tuple[str, ...] = KINDS) -> tuple[str, str]:
    """Theme and kind of a section by keyword counts; ``overview`` and ``summary`` when nothing matches."""
    scores = Counter({theme: sum(text.count(word) for word in THEME_KEYWORDS.get(theme, ())) for theme in themes})
    theme, best = max(scores.items(), key=lambda item: item[1]) if scores else (themes[0], 0)
    if best == 0:
        theme = "overview" if "overview" in themes else themes[0]
    opening = text[:40]
    problem = sum(opening.count(word) for word in _PROBLEM) * 2 + sum(text.count(word) for word in _PROBLEM)
    plan = sum(text.count(word) for word in _PLAN)
    summary = sum(text.count(word) for word in _SUMMARY)
    if problem >= 3 and "problem" in kinds:
        kind = "problem"
    elif plan > summary and "plan" in kinds:
        kind = "plan"
    else:
        kind = "summary" if "summary" in kinds else kinds[0]
    return theme, kind
