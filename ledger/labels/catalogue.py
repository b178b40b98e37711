"""The certification catalogue a label's category comes from, with its source.

Shipped: the first batch of the national product carbon footprint label certification pilot catalogue
(产品碳足迹标识认证试点认证目录(第一批)), 17 product categories, issued jointly by the State Administration for
Market Regulation, the Ministry of Ecology and Environment and the Ministry of Industry and Information Technology
on 2025-07-09. Ids are Tanji's (``cn-pcf-2025-NN``, NN the row number of the published table); names are the
published ones. No threshold, grade or score table is published with the catalogue, so none is shipped: grades
come only from benchmarks a certification body imports with their own cited source (ledger.labels.benchmarks).

A category code is either a catalogue id or a 统计用产品分类 (statistical product classification) code that a
benchmark names explicitly; an unknown id is refused (UnknownCategoryError) naming the known ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.errors import UnknownCategoryError

CATALOGUE_SOURCE = (
    "市场监管总局、生态环境部、工业和信息化部 联合印发通知, 2025-07-09: 产品碳足迹标识认证试点认证目录(第一批) "
    "(17 categories); as reported at http://m.huxiedy03.cn/news/show-219734.html"
)
STATS_CODE = re.compile(r"^\d{2,10}$")  # 统计用产品分类目录 codes are 2-10 digits (section to item level)


@dataclass(frozen=True)
class Category:
    """One certifiable product category."""

    code: str
    name_zh: str
    name_en: str
    group_zh: str  # the pilot product group (试点产品) it belongs to


_ROWS = (
    ("锂电池", "消费型锂离子电池", "consumer lithium-ion batteries"),
    ("锂电池", "小动力型锂离子电池", "light-traction lithium-ion batteries"),
    ("锂电池", "大动力型锂离子电池", "traction (EV) lithium-ion batteries"),
    ("锂电池", "储能型锂离子电池", "energy-storage lithium-ion batteries"),
    ("光伏产品", "光伏组件", "photovoltaic modules"),
    ("钢铁(含粗钢)", "高炉-转炉长流程钢铁产品", "blast furnace - basic oxygen furnace steel products"),
    ("钢铁(含粗钢)", "电炉短流程钢铁产品", "electric arc furnace steel products"),
    ("钢铁(含粗钢)", "铁合金", "ferroalloys"),
    ("纺织品(含山羊绒产品)", "纺织产品", "textile products"),
    ("电子电器(空调)", "房间空调器", "room air conditioners"),
    ("电子电器(计算机)", "台式微型计算机", "desktop microcomputers"),
    ("电子电器(笔记本电脑)", "便携式计算机", "portable computers (laptops)"),
    ("电子电器(电机)", "小功率电动机", "small-power electric motors"),
    ("轮胎", "轮胎", "tyres"),
    ("电解铝", "电解铝", "electrolytic aluminium"),
    ("水泥", "水泥", "cement"),
    ("木制品", "人造板和木质地板", "wood-based panels and wood flooring"),
)
CATALOGUE: dict[str, Category] = {
    f"cn-pcf-2025-{number:02d}": Category(f"cn-pcf-2025-{number:02d}", name_zh, name_en, group)
    for number, (group, name_zh, name_en) in enumerate(_ROWS, start=1)
}


def category_of(code: str) -> Category:
    """The catalogue entry of `code`; a statistical classification code is accepted as its own category."""
    text = code.strip()
    if text in CATALOGUE:
        return CATALOGUE[text]
    if STATS_CODE.match(text):
        return Category(text, "", "", "统计用产品分类")
    known = ", ".join(f"{c.code} ({c.name_zh})" for c in CATALOGUE.values())
    raise UnknownCategoryError(
        f"unknown product category {code!r}: use a certification catalogue id ({known}) or a 统计用产品分类 code "
        "(2-10 digits)"
    )
