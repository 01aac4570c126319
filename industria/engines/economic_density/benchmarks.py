"""Published Shanghai benchmarks of economic density (output of industrial land per km²), for comparison lines.

Values in 亿元/km² (100 million CNY per km²); 1 亿元/km² = 6.67 万元/亩.  Sources: docs/reference domain rules §3.4.
"""

from __future__ import annotations

from typing import Any

PUBLISHED_BENCHMARKS: list[dict[str, Any]] = [
    {
        "code": "sh_development_zones_2021",
        "label_zh": "上海开发区供地产出（平均）",
        "label_en": "Shanghai development zones, output per km² of supplied industrial land (average)",
        "value_100m_cny_per_km2": 83.66,
        "kind": "development_zone",
        "year": 2021,
        "source": "http://m.zhoukan.cc/jingji/2023/0807/285744.html",
        "confidence": "S",
    },
    {
        "code": "sh_industrial_bases_2021",
        "label_zh": "上海产业基地供地产出（平均）",
        "label_en": "Shanghai industrial bases, output per km² of supplied industrial land (average)",
        "value_100m_cny_per_km2": 75.69,
        "kind": "industrial_base",
        "year": 2021,
        "source": "http://m.zhoukan.cc/jingji/2023/0807/285744.html",
        "confidence": "S",
    },
    {
        "code": "sh_industrial_parks_2021",
        "label_zh": "上海产业园区地均产出（超过）",
        "label_en": "Shanghai industrial parks, output per km² (more than)",
        "value_100m_cny_per_km2": 80.0,
        "kind": "park",
        "year": 2021,
        "source": "http://toutiao123.net/news/43219.html",
        "confidence": "S",
    },
    {
        "code": "sh_characteristic_parks_2021",
        "label_zh": "上海前两批特色产业园区地均产出",
        "label_en": "Shanghai characteristic industrial parks (first two batches), output per km²",
        "value_100m_cny_per_km2": 141.0,
        "kind": "characteristic_park",
        "year": 2021,
        "source": "http://toutiao123.net/news/43219.html",
        "confidence": "S",
    },
]
