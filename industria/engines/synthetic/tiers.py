"""Tier and designation records (SME gradient, high-tech, champions, lists, headquarters).

Batches are processed in year order. In each batch of a kind, expiring grants are renewed on review with the kind's
renewal rate, then new firms are chosen from the kind's pool by score (top-k with Gumbel noise, so the choice is
random but favours the right firms): R&D intensity and the leading-industry mapping for innovation tiers, size for
leading enterprises, revenue growth for gazelles. Holders of the ``prefers`` kind get a bonus, so little giants come
mostly from 专精特新 firms. Status is evaluated on 31 December of the last generated year.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from industria.engines.synthetic import calibration as cal
from industria.engines.synthetic.enterprises import Population
from industria.engines.synthetic.facts import SIZE_CLASSES, YearlyPanel

TIER_KINDS = (
    "leading_enterprise",
    "ten_billion",
    "innovative_sme",
    "srdi_sme",
    "little_giant",
    "single_champion",
    "high_tech",
    "unicorn",
    "gazelle",
    "headquarters",
)

TIER_SCHEMA = {
    "uscc": pl.String,
    "kind": pl.String,
    "level": pl.String,
    "batch": pl.String,
    "renewal": pl.Boolean,
    "granted_on": pl.Date,
    "valid_until": pl.Date,
    "status": pl.String,
    "synthetic": pl.Boolean,
}

_NAT = np.datetime64("NaT", "D")


def _day(d: dt.date) -> np.datetime64:
    return np.datetime64(d, "D")


class _Records:
    """Tier records collected batch by batch: numeric columns as arrays, labels as one small frame per batch."""

    def __init__(self) -> None:
        self.arrays: list[dict[str, np.ndarray]] = []
        self.labels: list[pl.DataFrame] = []

    def add(
        self,
        firms: np.ndarray,
        *,
        kind: str,
        level: str,
        batch: str | np.ndarray,
        renewal: bool,
        granted_on: np.datetime64 | np.ndarray,
        valid_until: np.datetime64 | np.ndarray,
        revoked: np.ndarray,
    ) -> None:
        m = firms.size
        if not m:
            return
        self.arrays.append(
            {
                "firm": firms.astype(np.int64),
                "granted_on": np.broadcast_to(np.asarray(granted_on, dtype="datetime64[D]"), (m,)),
                "valid_until": np.broadcast_to(np.asarray(valid_until, dtype="datetime64[D]"), (m,)),
                "revoked": revoked.astype(bool),
            }
        )
        batch_col = pl.repeat(batch, m, eager=True) if isinstance(batch, str) else pl.Series(batch.astype(str))
        self.labels.append(
            pl.DataFrame(
                {
                    "kind": pl.repeat(kind, m, eager=True),
                    "level": pl.repeat(level, m, eager=True),
                    "batch": batch_col,
                    "renewal": pl.repeat(renewal, m, eager=True),
                }
            )
        )

    def column(self, name: str) -> np.ndarray:
        return np.concatenate([p[name] for p in self.arrays])


def build_tiers(
    rng: np.random.Generator,
    pop: Population,
    panel: YearlyPanel,
    uscc: pl.Series,
    is_headquarters: np.ndarray,
    *,
    scale_ratio: float,
) -> pl.DataFrame:
    """TIER_SCHEMA records; ``is_headquarters`` is the enterprises frame's flag (bool array)."""
    years = panel.years
    n = pop.n
    as_of = _day(dt.date(years[-1], 12, 31))
    records = _Records()
    holder_until = {spec.kind: np.full(n, _NAT) for spec in cal.TIERS}  # latest valid_until of a live grant
    grants_by_year: dict[tuple[str, int], np.ndarray] = {}

    sme = (panel.employees < cal.SME_MAX_EMPLOYEES) | (panel.operating_revenue < cal.SME_MAX_REVENUE_CNY)
    with np.errstate(divide="ignore", invalid="ignore"):
        rd_intensity = np.where(panel.operating_revenue > 0, panel.rd_expense / panel.operating_revenue, 0.0)
        growth = np.full(panel.operating_revenue.shape, -np.inf)
        prev = panel.operating_revenue[:, :-1]
        growth[:, 1:] = np.where(
            panel.active[:, 1:] & panel.active[:, :-1] & (prev > 0),
            panel.operating_revenue[:, 1:] / prev - 1.0,
            -np.inf,
        )
    est_year = pop.established_on.astype("datetime64[Y]").astype(np.int64) + 1970

    batch_years = sorted({y for spec in cal.TIERS for y in spec.new_per_batch} | set(years))
    for year in batch_years:
        if year > years[-1]:
            break
        t = min(max(year, years[0]), years[-1]) - years[0]
        for spec in cal.TIERS:
            granted_on = _day(dt.date(year, spec.grant_month, 15))
            if spec.validity_years is None:
                valid_until = _NAT
            else:
                valid_until = _day(dt.date(year + spec.validity_years, spec.grant_month, 15)) - np.timedelta64(1, "D")
            alive = (
                panel.active[:, t]
                & (pop.established_on <= granted_on)
                & (np.isnat(pop.closed_on) | (pop.closed_on > granted_on))
            )
            holding = ~np.isnat(holder_until[spec.kind]) & (holder_until[spec.kind] >= granted_on)

            # Renewals on review of grants made validity_years ago.
            renewed = np.zeros(n, dtype=bool)
            if spec.validity_years and spec.validity_years > 1 and spec.renewal_rate > 0:
                expiring = grants_by_year.get((spec.kind, year - spec.validity_years), np.array([], dtype=np.int64))
                expiring = expiring[alive[expiring]]
                keep = expiring[rng.random(expiring.size) < spec.renewal_rate]
                renewed[keep] = True
                _grant(
                    records, holder_until, grants_by_year, rng, spec, year, keep, granted_on, valid_until, renewal=True
                )

            k = round(spec.new_per_batch.get(year, 0) * scale_ratio)
            if k <= 0:
                continue
            pool = alive & ~holding & ~renewed
            age = year - est_year
            if spec.pool == "sme":
                pool &= sme[:, t]
            elif spec.pool == "above_size":
                pool &= panel.above[:, t]
            elif spec.pool == "large":
                pool &= panel.above[:, t] & (panel.size_class[:, t] == SIZE_CLASSES.index("large"))
            elif spec.pool == "young":
                pool &= age <= cal.YOUNG_MAX_AGE_YEARS
            elif spec.pool == "young_sme":
                pool &= (age <= cal.YOUNG_MAX_AGE_YEARS) & sme[:, t]
            elif spec.pool != "any":
                raise ValueError(f"tier {spec.kind}: unknown pool {spec.pool!r}")

            if spec.score == "innovation":
                score = (
                    np.log(rd_intensity[:, t] + 1e-4)
                    + 1.0 * pop.leading
                    + 0.5 * pop.frontier
                    + 0.3 * np.log1p(panel.operating_revenue[:, t] / 1e7)
                    + rng.gumbel(0.0, 0.7, n)
                )
                pool &= panel.rd_expense[:, t] > 0
            elif spec.score == "size":
                score = np.log(np.maximum(panel.gross_output[:, t], 1)) + rng.gumbel(0.0, 0.3, n)
            else:  # growth
                score = growth[:, t] + rng.gumbel(0.0, 0.05, n)
                pool &= growth[:, t] >= cal.GAZELLE_MIN_GROWTH
            if spec.prefers is not None:
                prefers_until = holder_until[spec.prefers]
                score = score + 3.0 * (~np.isnat(prefers_until) & (prefers_until >= granted_on))

            candidates = np.flatnonzero(pool)
            chosen = candidates[np.argsort(-score[candidates], kind="stable")[:k]]
            _grant(
                records, holder_until, grants_by_year, rng, spec, year, chosen, granted_on, valid_until, renewal=False
            )

    # 百亿级: gross output >= 100亿 in a year; annual records derived from the facts.
    for t, year in enumerate(years):
        firms = np.flatnonzero(panel.active[:, t] & (panel.gross_output[:, t] >= cal.TEN_BILLION_OUTPUT_CNY))
        records.add(
            firms,
            kind="ten_billion",
            level="municipal",
            batch=str(year),
            renewal=False,
            granted_on=_day(dt.date(year, 12, 31)),
            valid_until=_day(dt.date(year + 1, 12, 30)),
            revoked=np.zeros(firms.size, dtype=bool),
        )

    # Headquarters: recognised one to five years after founding (not before 2003), permanent.
    hq = np.flatnonzero(is_headquarters)
    hq_year = np.clip(est_year[hq] + 1 + rng.integers(0, 5, hq.size), 2003, years[-1])
    hq_date = (hq_year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + np.timedelta64(257, "D")  # mid-Sept
    hq_date = np.maximum(hq_date, pop.established_on[hq])
    records.add(
        hq,
        kind="headquarters",
        level="municipal",
        batch=hq_year.astype(str),
        renewal=False,
        granted_on=hq_date,
        valid_until=np.full(hq.size, _NAT),
        revoked=np.zeros(hq.size, dtype=bool),
    )

    return _frame(records, pop, uscc, as_of)


def _grant(
    records: _Records,
    holder_until: dict[str, np.ndarray],
    grants_by_year: dict[tuple[str, int], np.ndarray],
    rng: np.random.Generator,
    spec: cal.TierSpec,
    year: int,
    firms: np.ndarray,
    granted_on: np.datetime64,
    valid_until: np.datetime64,
    *,
    renewal: bool,
) -> None:
    revoked = rng.random(firms.size) < cal.TIER_REVOKED_SHARE
    records.add(
        firms,
        kind=spec.kind,
        level=spec.level,
        batch=str(year),
        renewal=renewal,
        granted_on=granted_on,
        valid_until=valid_until,
        revoked=revoked,
    )
    live = firms[~revoked]
    holder_until[spec.kind][live] = valid_until if not np.isnat(valid_until) else np.datetime64("2999-12-31", "D")
    key = (spec.kind, year)
    grants_by_year[key] = np.concatenate([grants_by_year.get(key, np.array([], dtype=np.int64)), live])


def _frame(records: _Records, pop: Population, uscc: pl.Series, as_of: np.datetime64) -> pl.DataFrame:
    if not records.arrays:
        return pl.DataFrame(schema=TIER_SCHEMA)
    firm = records.column("firm")
    valid_until = records.column("valid_until")
    closed = pop.closed_on[firm]
    lapsed_by_closure = ~np.isnat(closed) & (closed <= as_of) & (np.isnat(valid_until) | (closed < valid_until))
    revoked = records.column("revoked") | lapsed_by_closure
    expired = ~np.isnat(valid_until) & (valid_until < as_of)
    status = np.where(revoked, 2, np.where(expired, 1, 0))
    labels = pl.concat(records.labels)
    return pl.DataFrame(
        {
            "uscc": uscc.gather(firm),
            "kind": labels["kind"],
            "level": labels["level"],
            "batch": labels["batch"],
            "renewal": labels["renewal"],
            "granted_on": records.column("granted_on"),
            "valid_until": valid_until,
            "status": pl.Series(["valid", "expired", "revoked"]).gather(status),
            "synthetic": np.ones(firm.size, dtype=bool),
        },
        schema=TIER_SCHEMA,
    )
