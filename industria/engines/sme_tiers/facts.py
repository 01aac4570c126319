"""Facts schema of the SME-tier engine: the union of the spreadsheet columns of the three 2022 rule sets.

Each rule set lists its own columns (its spreadsheet interface) under ``columns:``; see
docs/engines/evaluation.md §6 for which rule set uses which.  Amounts are CNY of the prior (evaluation) year
unless the name says otherwise (``_prev`` = the year before, ``_prev2`` = two years before, ``_2y``/``_3y`` =
cumulative over the last 2/3 years); ratios are fractions (0.10 = 10 %).
"""

from __future__ import annotations

import polars as pl

MONEY = pl.Decimal(20, 2)
COUNT = pl.Decimal(12, 2)

IP_CLASSES = ("class1_high_value", "class1_self_developed", "class1", "class2", "none")
RD_INSTITUTION_LEVELS = ("none", "below_municipal", "municipal", "provincial", "national")
PRODUCT_FIELD_ROLES = ("strengthens_key_chain", "foundation_or_supplier", "none")

FACTS_SCHEMA: dict[str, pl.DataType] = {
    # identity
    "uscc": pl.String(),
    "name": pl.String(),
    # innovative SME (sme-innovative-2022), in its spreadsheet order
    "ip_class": pl.Enum(IP_CLASSES),
    "rd_expense_cny": MONEY,
    "operating_revenue_cny": MONEY,
    "main_revenue_cny": MONEY,
    "main_revenue_prev_cny": MONEY,
    "total_assets_cny": MONEY,
    "total_liabilities_cny": MONEY,
    "in_sei_catalogue": pl.Boolean(),
    "st_award_3y": pl.Boolean(),
    "honour_valid": pl.Boolean(),
    "rd_institution_level": pl.Enum(RD_INSTITUTION_LEVELS),
    "equity_financing_3y_cny": MONEY,
    # SRDI SME (sme-srdi-2022) and little giant (sme-little-giant-2022)
    "years_in_niche": pl.Decimal(6, 2),
    "main_revenue_prev2_cny": MONEY,
    "operating_revenue_prev_cny": MONEY,
    "rd_expense_prev_cny": MONEY,
    "net_profit_cny": MONEY,
    "employees_avg": COUNT,
    "rd_staff_avg": COUNT,
    "equity_financing_2y_cny": MONEY,
    "product_field_role": pl.Enum(PRODUCT_FIELD_ROLES),
    "digital_level": pl.Int64(),
    "quality_award": pl.Boolean(),
    "quality_system_certified": pl.Boolean(),
    "own_brand": pl.Boolean(),
    "standard_drafting": pl.Boolean(),
    "distinctive_points": pl.Decimal(8, 2),
    "st_award_ranked_3y": pl.Boolean(),
    "maker_china_top500_3y": pl.Boolean(),
    "info_system_core_business": pl.Boolean(),
    "certification_held": pl.Boolean(),
    "niche_market_share_ratio": pl.Decimal(9, 6),
    "class1_ip_count": pl.Int64(),
    "national_st_award_top3_3y": pl.Boolean(),
    "maker_china_top50_3y": pl.Boolean(),
    "chain_key_link": pl.Boolean(),
    "priority_product_field": pl.Boolean(),
}
