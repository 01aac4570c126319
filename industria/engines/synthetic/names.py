"""Synthetic company names from word lists, built column-wise.

A name is ``上海`` + trade name (字号, two or three characters) + industry words + legal form, or, for foreign and
Hong Kong/Macao/Taiwan firms, trade name + industry words + ``（上海）有限公司``. Every name ends with the marker
``（模拟）`` / ``(synthetic)`` so that a screenshot can never pass one off as a real company, whatever the chance
that the characters spell a real trade name. Names are unique within a city.
"""

from __future__ import annotations

import numpy as np
import polars as pl

NAME_MARKER_ZH = "（模拟）"
NAME_MARKER_EN = " (synthetic)"

# Trade-name characters with their pinyin (common, auspicious characters; no real brand intended).
TRADE_CHARS: tuple[tuple[str, str], ...] = (
    ("瑞", "rui"),
    ("恒", "heng"),
    ("丰", "feng"),
    ("华", "hua"),
    ("通", "tong"),
    ("达", "da"),
    ("泰", "tai"),
    ("盛", "sheng"),
    ("鑫", "xin"),
    ("源", "yuan"),
    ("宏", "hong"),
    ("昌", "chang"),
    ("嘉", "jia"),
    ("德", "de"),
    ("隆", "long"),
    ("信", "xin"),
    ("诚", "cheng"),
    ("永", "yong"),
    ("晨", "chen"),
    ("博", "bo"),
    ("凯", "kai"),
    ("智", "zhi"),
    ("明", "ming"),
    ("锐", "rui"),
    ("亿", "yi"),
    ("卓", "zhuo"),
    ("越", "yue"),
    ("润", "run"),
    ("星", "xing"),
    ("辰", "chen"),
    ("远", "yuan"),
    ("航", "hang"),
    ("捷", "jie"),
    ("旭", "xu"),
    ("安", "an"),
    ("康", "kang"),
    ("和", "he"),
    ("益", "yi"),
    ("茂", "mao"),
    ("祥", "xiang"),
    ("佳", "jia"),
    ("立", "li"),
    ("弘", "hong"),
    ("朗", "lang"),
    ("峰", "feng"),
    ("骏", "jun"),
    ("腾", "teng"),
    ("晟", "sheng"),
    ("睿", "rui"),
    ("铭", "ming"),
    ("烨", "ye"),
    ("岳", "yue"),
    ("沛", "pei"),
    ("桓", "huan"),
    ("璟", "jing"),
    ("翊", "yi"),
    ("钧", "jun"),
    ("澄", "cheng"),
    ("霖", "lin"),
    ("柏", "bai"),
    ("蓝", "lan"),
    ("青", "qing"),
    ("云", "yun"),
    ("江", "jiang"),
    ("宸", "chen"),
    ("皓", "hao"),
    ("珩", "heng"),
    ("琪", "qi"),
    ("玖", "jiu"),
    ("拓", "tuo"),
    ("衡", "heng"),
    ("启", "qi"),
    ("瀚", "han"),
    ("逸", "yi"),
    ("曜", "yao"),
    ("森", "sen"),
    ("禾", "he"),
    ("稷", "ji"),
    ("甬", "yong"),
    ("钰", "yu"),
    ("琨", "kun"),
    ("骐", "qi"),
    ("麒", "qi"),
    ("澜", "lan"),
    ("汇", "hui"),
    ("韬", "tao"),
    ("赫", "he"),
    ("昊", "hao"),
    ("翔", "xiang"),
    ("彤", "tong"),
)

# Industry words by GB/T 4754 code prefix (longest prefix wins): (Chinese, English).
INDUSTRY_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "0": (("矿业", "Mining"),),
    "1": (("矿业", "Mining"),),
    "13": (("粮油食品", "Grain and Oil Foods"), ("农产品加工", "Agricultural Products Processing")),
    "14": (("食品", "Foods"), ("乳业", "Dairy"), ("烘焙食品", "Bakery")),
    "15": (("饮品", "Beverages"), ("酒业", "Wines")),
    "16": (("烟草制品", "Tobacco Products"),),
    "17": (("纺织", "Textiles"), ("织造", "Weaving")),
    "18": (("服饰", "Apparel"), ("制衣", "Garments")),
    "19": (("鞋业", "Footwear"), ("皮具", "Leather Goods")),
    "20": (("木业", "Wood Products"),),
    "21": (("家具", "Furniture"), ("家居", "Home Furnishings")),
    "22": (("纸业", "Paper"), ("包装材料", "Packaging Materials")),
    "23": (("印务", "Printing"), ("印刷", "Printing")),
    "24": (("文体用品", "Stationery and Sports Goods"), ("工艺品", "Arts and Crafts")),
    "25": (("能源化工", "Energy and Chemicals"),),
    "26": (("化工", "Chemicals"), ("精细化工", "Fine Chemicals"), ("新材料", "New Materials")),
    "268": (("日化", "Daily Chemicals"),),
    "2682": (("化妆品", "Cosmetics"),),
    "27": (("医药", "Pharmaceutical"), ("生物医药", "Biopharmaceutical"), ("药业", "Pharma")),
    "28": (("化纤", "Chemical Fibre"),),
    "29": (("塑胶", "Plastics"), ("橡塑制品", "Rubber and Plastic Products")),
    "30": (("建材", "Building Materials"), ("玻璃", "Glass"), ("陶瓷", "Ceramics")),
    "31": (("钢铁", "Steel"), ("特钢", "Special Steel")),
    "32": (("有色金属", "Non-ferrous Metals"), ("合金材料", "Alloy Materials")),
    "33": (("五金", "Hardware"), ("金属制品", "Metal Products"), ("精工", "Precision Metalwork")),
    "34": (
        ("机械", "Machinery"),
        ("精密机械", "Precision Machinery"),
        ("机电设备", "Electromechanical Equipment"),
        ("智能装备", "Intelligent Equipment"),
    ),
    "3491": (("机器人", "Robotics"),),
    "35": (("专用设备", "Special Equipment"), ("装备", "Equipment"), ("自动化设备", "Automation Equipment")),
    "358": (("医疗器械", "Medical Devices"),),
    "36": (("汽车零部件", "Auto Parts"), ("汽车", "Automotive"), ("汽车电子", "Automotive Electronics")),
    "3612": (("新能源汽车", "New Energy Vehicles"),),
    "37": (("船舶", "Shipbuilding"), ("航空部件", "Aviation Components"), ("轨道交通设备", "Rail Transit Equipment")),
    "38": (("电气", "Electric"), ("电器", "Electrical Appliances"), ("电力设备", "Power Equipment")),
    "3841": (("新能源电池", "New Energy Batteries"),),
    "39": (("电子", "Electronics"), ("电子科技", "Electronic Technology"), ("微电子", "Microelectronics")),
    "3973": (("集成电路", "Integrated Circuits"), ("半导体", "Semiconductor")),
    "40": (("仪器仪表", "Instruments"), ("测控技术", "Measurement and Control")),
    "41": (("日用制品", "Household Products"),),
    "42": (("资源再生", "Resource Recycling"), ("环保科技", "Environmental Technology")),
    "43": (("设备维修", "Equipment Repair"),),
    "44": (("能源", "Energy"), ("热电", "Thermal Power")),
    "45": (("燃气", "Gas"),),
    "46": (("水务", "Water"),),
}
DEFAULT_INDUSTRY_WORDS: tuple[tuple[str, str], ...] = (("实业", "Industrial"),)

# Legal forms for domestic firms: (Chinese, English, weight).
DOMESTIC_FORMS: tuple[tuple[str, str, float], ...] = (
    ("有限公司", "Co., Ltd.", 0.62),
    ("科技有限公司", "Technology Co., Ltd.", 0.18),
    ("制造有限公司", "Manufacturing Co., Ltd.", 0.12),
    ("股份有限公司", "Corporation Limited", 0.08),
)
LISTED_FORM = ("股份有限公司", "Corporation Limited")
FOREIGN_FORM = ("（上海）有限公司", "(Shanghai) Co., Ltd.")


def _words_for(code: str) -> tuple[tuple[str, str], ...]:
    for length in range(len(code), 0, -1):
        words = INDUSTRY_WORDS.get(code[:length])
        if words:
            return words
    return DEFAULT_INDUSTRY_WORDS


def generate_names(
    industry_codes: pl.Series, foreign: np.ndarray, listed: np.ndarray, rng: np.random.Generator
) -> tuple[pl.Series, pl.Series]:
    """Unique (name_zh, name_en) per row. ``foreign``/``listed`` are bool arrays."""
    n = industry_codes.len()
    chars_zh = np.array([c for c, _ in TRADE_CHARS])
    chars_en = np.array([p for _, p in TRADE_CHARS])
    k = len(TRADE_CHARS)

    # Industry word per row: pick uniformly among the words of the row's code (looked up once per distinct code).
    codes = industry_codes.to_numpy().astype(str)
    uniq, inverse = np.unique(codes, return_inverse=True)
    word_lists = [_words_for(c) for c in uniq]
    sizes = np.array([len(w) for w in word_lists])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat_zh = np.array([w[0] for ws in word_lists for w in ws])
    flat_en = np.array([w[1] for ws in word_lists for w in ws])
    pick = offsets[inverse] + (rng.random(n) * sizes[inverse]).astype(np.int64)
    word_zh, word_en = flat_zh[pick], flat_en[pick]

    form_p = np.array([f[2] for f in DOMESTIC_FORMS])
    form_idx = rng.choice(len(DOMESTIC_FORMS), size=n, p=form_p / form_p.sum())
    form_zh = np.array([f[0] for f in DOMESTIC_FORMS])[form_idx]
    form_en = np.array([f[1] for f in DOMESTIC_FORMS])[form_idx]
    form_zh = np.where(listed, LISTED_FORM[0], form_zh)
    form_en = np.where(listed, LISTED_FORM[1], form_en)

    frame = pl.DataFrame(
        {
            "word_zh": word_zh,
            "word_en": word_en,
            "form_zh": form_zh,
            "form_en": form_en,
            "foreign": foreign,
            "c1": rng.integers(0, k, n),
            "c2": rng.integers(0, k, n),
            "c3": np.full(n, -1, dtype=np.int64),
        }
    )
    # Resolve duplicates: later duplicates get a third trade-name character, re-drawn until unique.
    for _ in range(12):
        zh = _name_zh(frame, chars_zh)
        dup = np.arange(n) != _first_index(zh)  # every repeat of a name after its first row
        if not dup.any():
            break
        c3 = frame["c3"].to_numpy().copy()
        c3[dup] = rng.integers(0, k, int(dup.sum()))
        frame = frame.with_columns(pl.Series("c3", c3))
    else:  # pragma: no cover - 12 rounds of 90 extra characters always suffice at the supported scales
        raise RuntimeError("could not make company names unique")
    return zh, _name_en(frame, chars_en)


def _first_index(names: pl.Series) -> np.ndarray:
    """For each row, the index of the first row with the same name."""
    frame = pl.DataFrame({"name": names}).with_row_index("i")
    return frame.select(pl.col("i").first().over("name")).to_series().to_numpy()


def _trade(frame: pl.DataFrame, chars: np.ndarray, *, capitalise: bool) -> pl.Series:
    """Trade name: two characters plus the optional third; English pinyin is capitalised once ("Ruihengjia")."""
    lut = pl.Series(chars)
    first = pl.Series([c.capitalize() for c in chars]) if capitalise else lut
    c3 = frame["c3"]
    third = lut.gather(c3.clip(0, None)).zip_with(c3 >= 0, pl.Series([""] * frame.height))
    return (first.gather(frame["c1"]) + lut.gather(frame["c2"]) + third).alias("trade")


def _name_zh(frame: pl.DataFrame, chars: np.ndarray) -> pl.Series:
    trade = _trade(frame, chars, capitalise=False)
    return (
        frame.with_columns(trade)
        .select(
            pl.when(pl.col("foreign"))
            .then(pl.concat_str([pl.col("trade"), pl.col("word_zh"), pl.lit(FOREIGN_FORM[0]), pl.lit(NAME_MARKER_ZH)]))
            .otherwise(
                pl.concat_str(
                    [pl.lit("上海"), pl.col("trade"), pl.col("word_zh"), pl.col("form_zh"), pl.lit(NAME_MARKER_ZH)]
                )
            )
            .alias("name_zh")
        )
        .to_series()
    )


def _name_en(frame: pl.DataFrame, chars: np.ndarray) -> pl.Series:
    trade = _trade(frame, chars, capitalise=True)
    return (
        frame.with_columns(trade)
        .select(
            pl.when(pl.col("foreign"))
            .then(pl.format("{} {} {}{}", "trade", "word_en", pl.lit(FOREIGN_FORM[1]), pl.lit(NAME_MARKER_EN)))
            .otherwise(pl.format("Shanghai {} {} {}{}", "trade", "word_en", "form_en", pl.lit(NAME_MARKER_EN)))
            .alias("name_en")
        )
        .to_series()
    )
