"""Verification sentences in the style of health-bureau work reports.

Sentences are assembled from hand-written fragments with a seeded random
generator, so every run checks the same texts. They mix Chinese report prose,
Arabic and full-width digits, percentages and decimals, Latin abbreviations and
words, full-width and ASCII punctuation, and single or repeated spaces.
"""

from __future__ import annotations

import random

_PLACES = ["六安市", "金寨县", "霍山县", "裕安区", "南山区", "X县", "XX市", "全区", "全市", "全县", "我市"]
_INSTITUTIONS = [
    "卫健委", "卫生健康局", "人民医院", "中医院", "妇幼保健院", "疾控中心", "社康中心", "乡镇卫生院",
    "村卫生室", "第一人民医院", "传染病医院", "医疗集团", "公共卫生委员会", "医投集团",
]
_METRICS = [
    "孕产妇死亡率", "婴儿死亡率", "60岁以上人群接种率", "县域内就诊率", "跨省就医比例", "规范管理率",
    "家庭医生签约率", "居民健康档案建档率", "每千人口执业（助理）医师数", "每千人口床位数", "满意度",
    "核酸检测能力", "老年医学科设置比例", "完成率", "综合排名", "筛查率", "病床使用率",
]
_VALUES = [
    "95.65%", "109.5%", "146.72%", "4.03%", "84%", "100%", "20.9万管", "368.7万人", "2077名",
    "181个", "6566.12万元", "2.9人", "66间/万人", "4万余毫升", "160余人", "10轮次", "第254名",
    "第9", "第8名", "1830.2万人次", "３５支", "１２．５％", "8.7%以下", "6.5张左右", "XX%", "XXX万元",
]
_DATES = [
    "2021年", "2022年度", "2022年7月25日", "4月20日", "4月4日凌晨2时", "上半年", "下半年", "一季度",
    "2022年上半年", "截至6月30日", "２０２３年", "2020年", "7月XX日", "xxxx年",
]
_LATIN = [
    "DRG", "DIP", "CT", "MRI", "ICU", "HIS", "PACS", "5G", "App", "AI", "HPV", "PCR", "MDT", "A+",
    "DSA中心", "Health Commission", "e-health", "COVID-19", "WHO", "HIV", "ECMO", "Wi-Fi",
]
_VERBS = ["达到", "提升至", "达", "为", "降至", "完成", "新增", "累计", "位居", "超过", "不低于"]
_CLAUSES = [
    "统筹抓好常态化疫情防控和卫生健康工作",
    "推动公立医院高质量发展",
    "紧密型县域医共体巩固提升",
    "深入开展“优质服务基层行”活动",
    "持续提升基层卫生服务能力",
    "加快推进重大项目建设和生命健康产业",
    "严格执行《新型冠状病毒肺炎防控方案（第九版）》",
    "全面落实“外防输入、内防反弹”的防控策略",
    "完善三孩生育配套政策，积极推进公办托育机构建设",
    "建设老年医学科13个",
    "组建35支流调队伍、94支小分队",
    "开展医疗机构及医务人员不良行为记分96条",
    "以党建引领“三医”联动改革",
    "强化医疗卫生综合监督：检查集中供水单位80家；职业卫生单位34家",
]
_OPENERS = ["一、", "（二）", "(三)", "1.", "2、", "（1）", "一是", "二是", "", "", ""]
_ENDINGS = ["。", "；", "，", "！", "。", "."]


def verification_sentences(count: int = 240, seed: int = 20230405) -> list[str]:
    """Return ``count`` report-style sentences, the same ones for the same seed.

    Args:
        count: Number of sentences.
        seed: Seed of the fragment shuffling.

    Returns:
        Distinct sentences of roughly 20 to 120 characters.
    """
    rng = random.Random(seed)
    templates = [
        _metric_sentence,
        _institution_sentence,
        _latin_sentence,
        _clause_sentence,
        _mixed_sentence,
    ]
    sentences: list[str] = []
    seen: set[str] = set()
    index = 0
    while len(sentences) < count:
        sentence = templates[index % len(templates)](rng)
        index += 1
        if sentence not in seen:
            seen.add(sentence)
            sentences.append(sentence)
    return sentences


def _metric_sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(_OPENERS)}{rng.choice(_DATES)}，{rng.choice(_PLACES)}{rng.choice(_METRICS)}"
        f"{rng.choice(_VERBS)}{rng.choice(_VALUES)}，较上一年提升{rng.randint(1, 300)}个名次{rng.choice(_ENDINGS)}"
    )


def _institution_sentence(rng: random.Random) -> str:
    place = rng.choice(_PLACES)
    return (
        f"{place}{rng.choice(_INSTITUTIONS)}在{rng.choice(_DATES)}全国三级公立医院绩效考核中"
        f"排名{rng.choice(['第', '全省第', '全国第'])}{rng.randint(1, 600)}名，"
        f"{rng.choice(_METRICS)}{rng.choice(_VERBS)}{rng.uniform(0, 120):.2f}%{rng.choice(_ENDINGS)}"
    )


def _latin_sentence(rng: random.Random) -> str:
    spacing = rng.choice(["", " ", "  "])
    return (
        f"{rng.choice(_PLACES)}{rng.choice(_INSTITUTIONS)}{spacing}{rng.choice(_LATIN)}{spacing}"
        f"{rng.choice(['建设', '改革', '系统上线', '检查', '付费试点'])}（{rng.choice(_LATIN)}）"
        f"覆盖{rng.randint(2, 99)}家医院，{rng.choice(_DATES)}{rng.choice(_VERBS)}{rng.choice(_VALUES)}"
        f"{rng.choice(_ENDINGS)}"
    )


def _clause_sentence(rng: random.Random) -> str:
    first, second = rng.sample(_CLAUSES, 2)
    return f"{rng.choice(_OPENERS)}{first}，{second}{rng.choice(_ENDINGS)}"


def _mixed_sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(_DATES)}{rng.choice(_PLACES)}{rng.choice(_INSTITUTIONS)}：{rng.choice(_CLAUSES)}，"
        f"“{rng.choice(_LATIN)}”{rng.choice(_METRICS)}{rng.choice(_VERBS)}{rng.choice(_VALUES)}、"
        f"{rng.choice(_VALUES)}{rng.choice(_ENDINGS)}"
    )
