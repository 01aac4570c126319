"""Calibration constants of the synthetic-city generator, each with its source.

Source lines refer to ``shared/reference/statistics-and-data.md`` ("SD §x") and ``shared/reference/domain-rules.md``
("DR §x"). Tags: [V] seen verbatim in a source, [D] derived from [V] figures, [S] confirmed policy text, [M] from
memory, [U] unverified or a modelling assumption. ``docs/engines/synthetic.md`` explains how they are used.

Money is CNY (yuan) unless a name says ``_100m`` (亿元 = 1e8 yuan).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

# --------------------------------------------------------------------------------------------------- thresholds
# DR §7.1: 规模以上工业企业 = industrial legal units with annual main-business revenue >= 2,000万 (since 2011) [S].
ABOVE_SIZE_MAIN_REVENUE_CNY = 20_000_000

# SD §4.1: NBS 统计上大中小微型企业划分办法(2017), industry: large = employees >= 1000 AND revenue >= 40,000万;
# medium = 300-999 and 2,000万-40,000万; small = 20-299 and 300万-2,000万; micro = < 20 or < 300万 [V].
SIZE_LARGE_EMPLOYEES = 1000
SIZE_LARGE_REVENUE_CNY = 400_000_000
SIZE_MEDIUM_EMPLOYEES = 300
SIZE_MEDIUM_REVENUE_CNY = 20_000_000
SIZE_SMALL_EMPLOYEES = 20
SIZE_SMALL_REVENUE_CNY = 3_000_000

# DR §2.0: SME (industry, 工信部联企业〔2011〕300号) = employees < 1,000 OR operating revenue < 40,000万 [M].
SME_MAX_EMPLOYEES = 1000
SME_MAX_REVENUE_CNY = 400_000_000

# --------------------------------------------------------------------------------------------------- scales
# Enterprise counts per scale: (above-size pool, below-size pool).
# city: the brief ("about 10,000 above-size and 50,000 smaller"); SD §1.8: Shanghai 规上 count not confirmed,
#   plausibly 8,000-9,500 active per year [U]; the pool is larger than the yearly count because of entry, exit and
#   firms dropping under the threshold.
# nation: SD §1.8: 48.3万 规上 industrial enterprises nationally (Nov 2023) [V]; below-size omitted by default.
SCALE_COUNTS: dict[str, tuple[int, int]] = {
    "tiny": (100, 400),
    "city": (10_000, 50_000),
    "province": (25_000, 75_000),
    "nation": (500_000, 0),
}
# Below-size enterprises generated for "nation" when include_below_size=True: ~1.5 below-size per above-size
# (a modelling choice to keep memory in bounds; nationally 规上 ≈ 11% of industrial legal units, SD §1.8 [D]).
NATION_BELOW_SIZE_WHEN_INCLUDED = 750_000
# The city scale is the calibration reference; other scales multiply the city totals by their above-size pool ratio.
CITY_ABOVE_SIZE_POOL = SCALE_COUNTS["city"][0]

# --------------------------------------------------------------------------------------------------- city totals
# 规上工业总产值 (gross output of above-size industry), 亿元, by year. SD §1.3:
#   2016 31083 [V]; 2017 33989 [V]; 2018 ≈34,800 [V]; 2019 ≈34,400-35,000 [U] -> midpoint;
#   2020 ≈34,800 [D] (Jan-Nov 31111.36 +0.7% + December ≈3.7k); 2021 ≈39,500 [U];
#   2022 "近4万亿" with ≈ −1% [U] -> 39,100; 2023 < 40,000, ≈ flat [D] -> 39,000;
#   2024 ≈39,300 [D] (Pudong 1.32万亿 = 33.6% of city); 2025 40,700 ("4.07万亿") [V].
ABOVE_SIZE_GROSS_OUTPUT_100M: dict[int, float] = {
    2016: 31_083,
    2017: 33_989,
    2018: 34_800,
    2019: 34_700,
    2020: 34_800,
    2021: 39_500,
    2022: 39_100,
    2023: 39_000,
    2024: 39_300,
    2025: 40_700,
}

# SD §4.6: 规上 output : industrial value added ≈ 3.6-3.8 [D: 2021 39.5k / 10.7k]. 2021 all-industry VA 10,739亿
# (SD §1.2 [V]) stays above the derived above-size VA (39,500 / 3.7 = 10,676).
OUTPUT_TO_VALUE_ADDED = 3.7

# SD §1.3, Jan-Nov 2020 规上: revenue 34866.58, output 31111.36, profit 2611.89, taxes 1634.36, assets 49585.74,
# liabilities 24032.00 (亿元) [V]. Ratios [D]:
MAIN_REVENUE_TO_OUTPUT = 34_866.58 / 31_111.36  # 1.12
PROFIT_TO_REVENUE = 2_611.89 / 34_866.58  # 0.075
TAX_TO_REVENUE = 1_634.36 / 34_866.58  # 0.047
ASSETS_TO_ANNUAL_REVENUE = 49_585.74 / (34_866.58 * 12 / 11)  # 1.30 (11 months of revenue annualised)
LIABILITIES_TO_ASSETS = 24_032.00 / 49_585.74  # 0.485
# Operating revenue = main revenue + other business; main-business share ≥ 70% is a little-giant rule (DR §2.3),
# typical manufacturers ≈ 90-100% [U].
OTHER_REVENUE_SHARE_MAX = 0.12

# DR §1.2 T5: industrial labour productivity target > 50万 yuan/person by 2025 [S]; 2021 VA 10,739亿 (SD §1.2) over
# ≈2.1 million 规上 employees gives ≈51万 [U: employee count not in the sources]. Value added per employee of the
# above-size rows, all years pooled:
VALUE_ADDED_PER_EMPLOYEE_CNY = 480_000
# Employment elasticity to revenue (cross-section and over time): bigger firms have more revenue per worker [U].
EMPLOYMENT_REVENUE_ELASTICITY = 0.7
LABOUR_SIGMA = 0.6  # firm-level dispersion of labour intensity (lognormal sigma) [U]
# Elasticity and dispersion are tuned so that the NBS size classes of above-size output come out near SD §1.3
# (Jan-Nov 2020: large 49.8%, medium 22.0%, small 28.2% [D]); the generator gives ≈ 50 / 27 / 22 %.

# R&D expense / revenue of R&D-active firms: lognormal median [U]; DR §1.2 T7 targets ≥ 2.5% in key firms [S].
RD_INTENSITY_MEDIAN = 0.012
RD_INTENSITY_SIGMA = 0.8
RD_INACTIVE_SHARE_ABOVE = 0.25  # [U]
RD_INACTIVE_SHARE_BELOW = 0.65  # [U]
RD_LEADING_BOOST = 2.5  # firms mapped to a lead-* group (IC, biomedicine, AI) [U]
RD_COST_PER_RD_STAFF_CNY = 400_000  # R&D expense per R&D staff-year, median [U]

# Energy, electricity, pollutants: city totals not in the sources; base intensities per 万元 of gross output [U],
# scaled by the division factors below. 1 kWh = 0.1229 kgce (equivalent-value coefficient, GB/T 2589 [M]);
# energy_tce is kept >= electricity * this coefficient.
ENERGY_TCE_PER_10K_CNY = 0.09
ELECTRICITY_KWH_PER_10K_CNY = 170.0
KGCE_PER_KWH = 0.1229
POLLUTANT_T_PER_TCE = 0.0008  # SO2 + NOx + particulates + COD, tonnes per tce [U]
EMISSIONS_MISSING_SHARE = 0.05  # brief: ~5% missing

# --------------------------------------------------------------------------------------------------- land
# SD §4.2 suggested generator [U]: parcel area lognormal, median ≈30-40 mu, IQR ≈15-80 mu, tail > 2,000 mu;
# many small firms rent floor space (no parcel). IQR 15-80 around 35 gives sigma ≈ 1.22 in total.
LAND_MEDIAN_MU_ABOVE = 30.0  # the size term lifts the median of active above-size firms to ≈35
LAND_SIGMA_ABOVE = 1.1  # residual sigma; the size term adds the rest
LAND_SIZE_ELASTICITY = 0.35
LAND_OWNER_SHARE_ABOVE = 0.8  # [U]
# SD §4.2: Jinshan exits freed ≈14 mu per chemical firm, 碳谷绿湾 ≈17.5 mu per firm [D] (legacy small firms).
LAND_MEDIAN_MU_BELOW = 10.0
LAND_SIGMA_BELOW = 0.9
LAND_OWNER_SHARE_BELOW = 0.35  # [U]
LAND_MIN_MU = 0.5
LAND_MAX_MU = 5_000.0
# Floor area: owners land_m2 * plot ratio (median 1.0 [U]); tenants employees * m2 per employee (median 40 [U]).
M2_PER_MU = 10_000 / 15  # DR §0: 1 mu = 666.67 m²
PLOT_RATIO_MEDIAN = 1.0
TENANT_M2_PER_EMPLOYEE = 40.0
# SD §4.3: Shanghai crude average tax per mu ≈ 22万元/mu [D]; Zhejiang provincial level ≈ 30-35万元/mu [U].
# Check band (not forced) for the above-size aggregate of land-owning firms:
TAX_PER_MU_CHECK_CNY = (150_000, 450_000)

# --------------------------------------------------------------------------------------------------- panel dynamics
# Entry/exit and growth are modelling choices [U].
ENTRANT_SHARE_ABOVE = 0.15  # share of the pool entering after the first year
ENTRANT_SHARE_BELOW = 0.25
EXIT_HAZARD_ABOVE = 0.025  # per year
EXIT_HAZARD_BELOW = 0.06
FIRM_TREND_SIGMA = 0.03  # persistent log growth per year
FIRM_SHOCK_SIGMA = 0.10  # yearly log shock
# Size of the above-size pool: output = threshold * (1 + m * L), L lognormal with this sigma; the raking multipliers m
# add dispersion. Tuned so that ~1% of firms hold ≈35-50% of output (SD §4.1 [U]) and ≈500 firms exceed 10亿
# (DR §1.4: successor plan "+100 firms with output >= 10亿 (cumulative > 600)" by 2028 [S] ⇒ ≈500 now [D]).
ABOVE_SIZE_EXCESS_SIGMA = 1.3
# Below-size pool: output relative to the threshold, lognormal median 0.2 (revenue ≈ 400万) [U].
BELOW_SIZE_MEDIAN_SHARE_OF_THRESHOLD = 0.2
BELOW_SIZE_SIGMA = 0.9


# --------------------------------------------------------------------------------------------------- districts
# District profile: share of above-size enterprise count, share of above-size gross output, ring.
# Output: Pudong 33.6% of city output in 2024 (SD §2.1 [V]); central districts ≈ 288.88亿 each vs suburban
# 2808.82亿 each excl. Pudong (2022, SD §2.1 [V]) ⇒ central seven ≈ 5.4% [D]; Jiading ≈ 4,600亿 ≈ 11.7% [D from
# Jan-Nov 2024 4217.2亿]; Songjiang ≈ 3,714亿 ≈ 9.5% [D, 2023]; the other suburban districts are [U].
# Count: Songjiang has the most 规上 firms, 1,668 in 2024 (SD §1.8 [V]) ≈ 18.5% of ≈9,000 [D]; the rest [U].
class DistrictProfile(NamedTuple):
    count_share: float
    output_share: float
    central: bool


DISTRICTS: dict[str, DistrictProfile] = {
    "310101": DistrictProfile(0.003, 0.003, True),  # 黄浦 Huangpu
    "310104": DistrictProfile(0.008, 0.012, True),  # 徐汇 Xuhui
    "310105": DistrictProfile(0.004, 0.006, True),  # 长宁 Changning
    "310106": DistrictProfile(0.006, 0.010, True),  # 静安 Jing'an
    "310107": DistrictProfile(0.007, 0.008, True),  # 普陀 Putuo
    "310109": DistrictProfile(0.003, 0.003, True),  # 虹口 Hongkou
    "310110": DistrictProfile(0.009, 0.012, True),  # 杨浦 Yangpu
    "310112": DistrictProfile(0.110, 0.110, False),  # 闵行 Minhang [U]
    "310113": DistrictProfile(0.060, 0.070, False),  # 宝山 Baoshan [U] (steel)
    "310114": DistrictProfile(0.160, 0.117, False),  # 嘉定 Jiading [D] output
    "310115": DistrictProfile(0.165, 0.336, False),  # 浦东 Pudong [V] output
    "310116": DistrictProfile(0.065, 0.065, False),  # 金山 Jinshan [U] (chemicals)
    "310117": DistrictProfile(0.185, 0.095, False),  # 松江 Songjiang [D] count and output
    "310118": DistrictProfile(0.090, 0.063, False),  # 青浦 Qingpu [U]
    "310120": DistrictProfile(0.100, 0.070, False),  # 奉贤 Fengxian [U]
    "310151": DistrictProfile(0.025, 0.020, False),  # 崇明 Chongming [U] (Changxing shipyards)
}
# A district code passed in but not listed above gets the mean count share and a small output share.
UNKNOWN_DISTRICT = DistrictProfile(1 / 16, 0.01, False)
# Below-size firms are spread more evenly; central districts keep small workshops and print shops [U].
BELOW_SIZE_CENTRAL_COUNT_BOOST = 2.0
# SD §4.6: value-added rate ≈ 0.49 in central districts vs ≈ 0.26 in the suburbs [V]. Part of the gap is industry
# mix, so only part of it is applied as a district factor [U].
CENTRAL_VA_RATE_FACTOR = 1.5


# --------------------------------------------------------------------------------------------------- ownership
# SD §1.3 (Jan-Nov 2020 规上 output): state-controlled 37.2%, private-controlled 18.5%, HK/Macau/Taiwan 11.6%,
# foreign 30.3% [D from V]; the remaining 2.4% is collective/other [D]. Count shares are [U] (SD §4.1: Fengxian
# units are 95.3% domestic, 1.5% HK/Macau/TW, 3.2% foreign, all sizes [V]; above-size firms are more often foreign).
class OwnershipProfile(NamedTuple):
    count_share_above: float
    count_share_below: float
    output_share: float


OWNERSHIP: dict[str, OwnershipProfile] = {
    "state": OwnershipProfile(0.06, 0.01, 0.372),
    "private": OwnershipProfile(0.62, 0.93, 0.185),
    "foreign": OwnershipProfile(0.18, 0.03, 0.303),
    "hk_macao_taiwan": OwnershipProfile(0.08, 0.015, 0.116),
    "collective_other": OwnershipProfile(0.06, 0.015, 0.024),
}


# --------------------------------------------------------------------------------------------------- divisions
# Division profile (GB/T 4754-2017 division, 2 digits):
#   count_w   relative weight of above-size enterprise counts [U]; anchors: national unit counts 33 metal products
#             10.7%, 34 general equipment 10.1%, 30 non-metallic 7.2% (SD §4.1 [V]); Fengxian 34 18.2%, 33 17.0%,
#             35 8.9% (SD §4.1 [V]).
#   output_w  relative weight of above-size gross output [U], checked against the legacy six key industries of
#             Jan-Nov 2020 (SD §1.6 [V], of 31111.36): electronics 5774 (18.6%), autos 6042 (19.4%), petrochemicals
#             3144 (10.1%), steel 1004 (3.2%), complete equipment 4019 (12.9%), biomedicine 1263 (4.1%).
#   va        value-added rate before the city-wide rescaling [U].
#   tax       tax-to-revenue factor relative to TAX_TO_REVENUE [U] (consumption tax: tobacco, fuel, cars, liquor).
#   margin    profit margin before rescaling [U].
#   rev_emp   revenue-per-employee factor [U]; SD §4.1 Jan-Sep 2012: autos 3923.58亿 / 214,304 employees,
#             computers-electronics 4253.70 / 443,410, general equipment 1831.83 / 244,473 [V]
#             (ratio ≈ 1.9 : 1.0 : 0.8).
#   assets    assets-to-revenue factor [U].
#   energy    energy intensity factor relative to ENERGY_TCE_PER_10K_CNY [U].
#   elec      electricity intensity factor relative to ELECTRICITY_KWH_PER_10K_CNY [U].
#   pollut    pollutant-per-tce factor [U].
class DivisionProfile(NamedTuple):
    count_w: float
    output_w: float
    va: float
    tax: float
    margin: float
    rev_emp: float
    assets: float
    energy: float
    elec: float
    pollut: float


_MINING = DivisionProfile(0.02, 0.01, 0.45, 1.2, 0.10, 1.5, 1.8, 1.5, 1.0, 2.0)
DIVISIONS: dict[str, DivisionProfile] = {
    # Section B: Shanghai has practically no mining (SD §3.3); tiny weights keep the codes usable.
    "06": _MINING,
    "07": _MINING,
    "08": _MINING,
    "09": _MINING,
    "10": _MINING,
    "11": _MINING,
    "12": _MINING,
    # Section C
    "13": DivisionProfile(1.2, 1.0, 0.18, 1.0, 0.05, 1.2, 0.9, 0.4, 0.8, 1.5),
    "14": DivisionProfile(2.0, 1.6, 0.28, 1.1, 0.08, 0.8, 0.9, 0.4, 0.8, 1.5),
    "15": DivisionProfile(0.6, 0.6, 0.35, 1.6, 0.12, 1.0, 1.0, 0.3, 0.6, 1.5),
    "16": DivisionProfile(0.05, 3.0, 0.65, 6.0, 0.20, 5.0, 1.2, 0.1, 0.2, 0.5),
    "17": DivisionProfile(1.5, 0.4, 0.22, 0.8, 0.04, 0.5, 1.0, 0.6, 2.0, 2.0),
    "18": DivisionProfile(2.5, 0.9, 0.25, 0.8, 0.05, 0.35, 0.8, 0.1, 0.4, 0.5),
    "19": DivisionProfile(0.6, 0.3, 0.25, 0.8, 0.05, 0.4, 0.8, 0.1, 0.4, 1.0),
    "20": DivisionProfile(0.5, 0.15, 0.22, 0.8, 0.04, 0.6, 0.9, 0.4, 1.2, 1.0),
    "21": DivisionProfile(1.5, 0.7, 0.25, 0.8, 0.05, 0.5, 0.9, 0.1, 0.6, 1.0),
    "22": DivisionProfile(1.8, 0.7, 0.22, 0.8, 0.05, 0.9, 1.2, 2.0, 2.5, 3.0),
    "23": DivisionProfile(2.2, 0.6, 0.28, 0.8, 0.06, 0.6, 1.1, 0.3, 1.2, 1.0),
    "24": DivisionProfile(1.8, 0.8, 0.22, 0.8, 0.05, 0.5, 0.8, 0.2, 0.8, 0.5),
    "25": DivisionProfile(0.3, 3.5, 0.18, 2.5, 0.05, 5.0, 1.6, 5.0, 0.8, 3.0),
    "26": DivisionProfile(7.0, 9.0, 0.24, 1.0, 0.08, 1.8, 1.6, 2.5, 2.5, 3.0),
    "27": DivisionProfile(3.0, 3.3, 0.38, 1.1, 0.14, 1.1, 1.4, 0.3, 1.2, 1.0),
    "28": DivisionProfile(0.3, 0.4, 0.18, 0.8, 0.04, 1.5, 1.6, 2.5, 3.5, 2.0),
    "29": DivisionProfile(6.5, 2.5, 0.24, 0.9, 0.06, 0.8, 1.0, 0.5, 2.0, 1.0),
    "30": DivisionProfile(4.0, 1.8, 0.28, 1.0, 0.07, 1.0, 1.3, 3.5, 2.5, 4.0),
    "31": DivisionProfile(1.0, 3.2, 0.20, 0.9, 0.04, 2.0, 1.6, 9.0, 3.0, 3.0),
    "32": DivisionProfile(1.8, 1.6, 0.16, 0.8, 0.04, 2.0, 1.3, 1.3, 2.5, 2.0),
    "33": DivisionProfile(9.0, 2.8, 0.25, 0.9, 0.06, 0.7, 1.0, 0.4, 1.2, 1.0),
    "34": DivisionProfile(13.0, 7.0, 0.28, 1.0, 0.08, 0.9, 1.1, 0.15, 0.6, 0.5),
    "35": DivisionProfile(7.5, 4.0, 0.30, 1.0, 0.09, 0.9, 1.2, 0.15, 0.6, 0.5),
    "36": DivisionProfile(6.5, 19.5, 0.24, 1.5, 0.08, 1.9, 1.0, 0.12, 0.3, 0.5),
    "37": DivisionProfile(1.8, 3.0, 0.25, 0.9, 0.05, 1.2, 1.5, 0.2, 0.5, 0.5),
    "38": DivisionProfile(8.5, 6.5, 0.24, 1.0, 0.07, 1.0, 1.0, 0.12, 0.6, 0.5),
    "39": DivisionProfile(7.0, 16.0, 0.19, 0.8, 0.04, 1.0, 0.8, 0.3, 1.5, 0.3),
    "40": DivisionProfile(3.0, 1.5, 0.32, 1.0, 0.10, 0.8, 1.1, 0.1, 0.5, 0.3),
    "41": DivisionProfile(0.6, 0.3, 0.25, 0.9, 0.05, 0.6, 1.0, 0.3, 0.8, 1.0),
    "42": DivisionProfile(0.5, 0.3, 0.20, 0.8, 0.04, 1.0, 1.0, 0.8, 1.5, 2.0),
    "43": DivisionProfile(0.5, 0.3, 0.35, 0.9, 0.06, 0.6, 1.0, 0.2, 0.6, 0.5),
    # Section D: power is fuel-heavy; water supply is pumping-heavy and low in output value [U].
    "44": DivisionProfile(0.6, 5.0, 0.35, 1.0, 0.05, 3.0, 2.5, 12.0, 2.5, 3.0),
    "45": DivisionProfile(0.2, 1.0, 0.25, 0.9, 0.04, 2.5, 2.0, 1.0, 0.3, 0.5),
    "46": DivisionProfile(0.4, 0.4, 0.45, 0.9, 0.05, 1.0, 3.0, 1.0, 7.5, 0.5),
}
# A division passed in but missing here (should not happen for B/C/D codes) gets a neutral profile.
UNKNOWN_DIVISION = DivisionProfile(1.0, 0.5, 0.25, 1.0, 0.06, 1.0, 1.0, 1.0, 1.0, 1.0)

# When both a division code and finer codes (groups/classes) of it are passed in, each finer code takes this share
# of the division's enterprises (overrides below) and the division code keeps the rest (at least 30%). When only
# finer codes are passed, the division is split evenly over them. Shares are [U].
FINER_CODE_COUNT_SHARE = 0.04
FINER_CODE_COUNT_SHARE_OVERRIDES: dict[str, float] = {
    "3670": 0.45,  # auto parts: most firms of division 36
    "3611": 0.02,
    "3612": 0.03,
    "3973": 0.08,  # Shanghai's IC cluster (SD §1.5)
    "358": 0.12,  # medical devices within special equipment
    "2682": 0.08,  # cosmetics (Oriental Beauty Valley, SD §2.3)
    "2720": 0.30,
    "2710": 0.15,
    "2761": 0.10,
}
FINER_CODES_MAX_SHARE = 0.7


# --------------------------------------------------------------------------------------------------- enterprise flags
# Listed firms: Shanghai has several hundred A-share listed companies; STAR-market listed firms target > 100 (DR §1.3
# [S]). The generator lists ≈3% of the above-size pool, much more often among the largest [U].
LISTED_SHARE_ABOVE = 0.03
LISTED_SHARE_BELOW = 0.0005
# Headquarters: ≈400 industrial headquarters (multinational regional HQs and domestic HQs) at city scale [U].
HEADQUARTERS_CITY = 400
# Registered capital relative to base revenue: lognormal median 0.15, sigma 0.8, rounded to 万元 [U].
REGISTERED_CAPITAL_TO_REVENUE_MEDIAN = 0.15
# GB 32100: USCCs (and "MA"-prefixed organisation codes) replaced old codes from 2015-10-01 [M].
USCC_MA_FROM = dt.date(2015, 10, 1)
# Firm age when already present in the first year: gamma(shape, scale) years [U].
AGE_GAMMA_ABOVE = (2.0, 7.0)
AGE_GAMMA_BELOW = (2.0, 5.0)
EARLIEST_ESTABLISHED_YEAR = 1952

# --------------------------------------------------------------------------------------------------- monthly profile
# SD §1.9: months ≈ 2.8-3.7k亿; Jan-Feb low (Spring Festival), Q4 high; April-May 2022 collapsed (lockdown) [V].
# Spring Festival (农历正月初一) dates [M]:
SPRING_FESTIVAL: dict[int, dt.date] = {
    2016: dt.date(2016, 2, 8),
    2017: dt.date(2017, 1, 28),
    2018: dt.date(2018, 2, 16),
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
}
# Production lost around the festival: a window from 7 days before to 14 days after, running at this share of
# normal output. With it Jan+Feb ≈ 14% of the year, as in 2021 (Jan-Feb 5,866.90亿 all-industry output [V] vs
# 42,014亿 for the year [V] ⇒ 14.0% [D]).
SPRING_FESTIVAL_WINDOW_DAYS = (-7, 14)
SPRING_FESTIVAL_OUTPUT_SHARE = 0.5
# Q4 push (Oct-Dec) and a mild March catch-up, relative to a normal day [U]. With them H1 ≈ 46-47% of the year, as in
# 2019 (H1 16169.28 [V] of ≈34,700 [U]).
MONTH_FACTORS: dict[int, float] = {3: 1.02, 10: 1.02, 11: 1.06, 12: 1.10}
# Shocks (year, month) -> factor on that month's normal output:
#   2020-02/03: first COVID wave, factories shut after the festival [M]; annual total still ≈ flat (SD §1.3 [D]).
#   2022-04/05: Shanghai lockdown; April 2022 规上 output about −60% y/y, May about −30% [M]; June +15.8% y/y [V]
#   (SD §1.9); H1 2022 −9.7% [V].
MONTH_SHOCKS: dict[tuple[int, int], float] = {
    (2020, 2): 0.55,
    (2020, 3): 0.90,
    (2022, 4): 0.40,
    (2022, 5): 0.72,
    (2022, 6): 1.08,
}
# Firm-level monthly noise (lognormal sigma) around the city profile [U].
MONTH_NOISE_SIGMA = 0.06


# --------------------------------------------------------------------------------------------------- tiers
class TierSpec(NamedTuple):
    """How one tier kind is granted. Counts are for the city scale and scale with the above-size pool."""

    kind: str
    level: str
    new_per_batch: dict[int, int]  # batch year -> new grants (city scale)
    validity_years: int | None  # None: permanent; 1: annual list
    renewal_rate: float  # share of expiring grants renewed on review (same firm, new record)
    pool: str  # any | sme | above_size | large | young | young_sme
    score: str  # innovation | size | growth
    prefers: str | None  # holders of this kind get a bonus (e.g. little giants come from SRDI firms)
    grant_month: int


# Shanghai published figures (DR §1.3 [S]): at plan launch (mid-2023) innovative SMEs > 10,000, municipal 专精特新
# > 7,500, national 小巨人 500, single champions 38; 2025 targets: innovative SMEs 100,000, municipal 专精特新 10,000,
# 小巨人 1,000 (1,026 reached by the 7th batch [S]), single champions 50, high-tech enterprises > 25,000, ~50 leading
# ("head") enterprises, ~50 manufacturing unicorns, ~100 gazelles, ~15 new firms with output > 100亿.
# These figures cover all sectors; industrial shares are [U]: innovative SMEs 50%, 专精特新 60%, 小巨人 75%, high-tech
# enterprises 35%. Batch splits by year are [U] and sum to the published stocks.
TIERS: tuple[TierSpec, ...] = (
    # 创新型中小企业: scheme from 2022 (工信部企业〔2022〕63号, DR §2) [S]; valid 3 years [M].
    TierSpec(
        "innovative_sme", "municipal", {2022: 2_500, 2023: 3_000, 2024: 3_500}, 3, 0.8, "sme", "innovation", None, 10
    ),
    # 专精特新中小企业 (municipal): stock ≈7,500 mid-2023 ⇒ ≈4,500 industrial [U]; valid 3 years with review [M].
    TierSpec(
        "srdi_sme",
        "municipal",
        {2016: 700, 2017: 800, 2018: 900, 2019: 500, 2020: 600, 2021: 700, 2022: 900, 2023: 900, 2024: 900},
        3,
        0.8,
        "sme",
        "innovation",
        "innovative_sme",
        12,
    ),
    # 专精特新"小巨人" (national, MIIT batches from 2019): 500 by mid-2023, ≈1,000 after two more batches; × 0.75.
    TierSpec(
        "little_giant",
        "national",
        {2019: 15, 2020: 60, 2021: 130, 2022: 170, 2023: 180, 2024: 200},
        3,
        0.9,
        "sme",
        "innovation",
        "srdi_sme",
        7,
    ),
    # 制造业单项冠军 (national, MIIT batches since 2016): 38 by mid-2023, 50 targeted by 2025; all manufacturing.
    TierSpec(
        "single_champion",
        "national",
        {2016: 4, 2017: 4, 2018: 5, 2019: 6, 2020: 6, 2021: 6, 2022: 7, 2023: 6, 2024: 6},
        3,
        0.95,
        "above_size",
        "innovation",
        "little_giant",
        11,
    ),
    # 高新技术企业 (national rules, certified by the city): ≈25,000 all sectors ⇒ ≈8,500 industrial [U]; valid 3 years,
    # re-certification 75% [U]. 2016-2018 batches seed the stock present in 2019.
    TierSpec(
        "high_tech",
        "national",
        {2016: 2_600, 2017: 2_700, 2018: 2_800, 2019: 850, 2020: 850, 2021: 850, 2022: 850, 2023: 850, 2024: 850},
        3,
        0.75,
        "any",
        "innovation",
        None,
        12,
    ),
    # 领航企业 / "head" enterprises: ~50 dynamically cultivated (DR §1.3 [S]); list from 2023, annual [U].
    TierSpec("leading_enterprise", "municipal", {2023: 50, 2024: 50}, 1, 0.0, "large", "size", None, 12),
    # Manufacturing unicorns: ~50 targeted by 2025 (DR §1.3 [S]); annual list sizes [U].
    TierSpec("unicorn", "municipal", {2021: 20, 2022: 25, 2023: 30, 2024: 35}, 1, 0.0, "young", "innovation", None, 12),
    # Gazelles: ~100 targeted by 2025 (DR §1.3 [S]); annual list sizes [U].
    TierSpec("gazelle", "municipal", {2021: 50, 2022: 60, 2023: 75, 2024: 90}, 1, 0.0, "young_sme", "growth", None, 12),
)
TIER_REVOKED_SHARE = 0.01  # [U] designations revoked (fraud, accidents, loss of SME status)
# "百亿级" enterprises: gross output >= 100亿 in a year (DR §1.3: ~15 new firms with output > 100亿 by 2025 [S]);
# derived from the yearly facts, one annual record per firm and year.
TEN_BILLION_OUTPUT_CNY = 10_000_000_000
# Young firms (unicorns, gazelles): established at most this many years before the batch year [U].
YOUNG_MAX_AGE_YEARS = 10
# Gazelles: revenue growth of at least this much over the previous year [U].
GAZELLE_MIN_GROWTH = 0.2
