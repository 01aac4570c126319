"""Red/amber/green rules as data: an ordered list, the first rule whose condition holds wins.

A rule is ``{status: green|amber|red, when: "<condition>"}``. Conditions use a small, safe language that is
parsed here (never ``eval``) and compiled to Polars expressions, so one rule set is applied to every
indicator row at once:

    condition  := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | "true" | "false" | "(" condition ")" | comparison
    comparison := sum ("<" | "<=" | ">" | ">=" | "==" | "!=") sum
    sum        := product (("+" | "-") product)*
    product    := factor (("*" | "/") factor)*
    factor     := NUMBER | VARIABLE | "-" factor | "(" sum ")"

Variables (see ``VARIABLES``) are the projection, target and progress figures of one indicator row. Missing
values follow three-valued logic (a comparison with a missing value is unknown, and so is its negation), and a
rule matches only when its condition is surely true, so a rule never matches on absent data alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from industria.engines.plan_progress.schema import PlanProgressSchemaError

STATUSES_RAG = ("green", "amber", "red")

VARIABLES: dict[str, str] = {
    "forecast": "projected value at the target year (actual when published); CAGR in % for growth-rate targets",
    "lower": "lower bound of the projection interval (same terms as forecast)",
    "upper": "upper bound of the projection interval (same terms as forecast)",
    "target": "target value (target CAGR in % for growth-rate targets)",
    "baseline": "baseline value",
    "actual": "latest actual value",
    "progress": "% of the way from baseline to target covered by the latest actual",
    "attainment": "latest actual as % of the target (inverted for lower_is_better)",
    "elapsed": "% of the period from baseline year to target year elapsed at the latest actual",
    "shortfall": "forecast miss in the indicator's unit (0 when on track)",
    "shortfall_pct": "forecast miss in % of the target or required value (0 when on track)",
    "direction_score": "+1 improving, 0 flat, -1 worsening (latest change, given the direction)",
    "change_pct": "latest year-on-year change in %",
    "years_left": "target year minus the latest actual year",
}

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op><=|>=|==|!=|[<>()+\-*/]))"
)
_COMPARATORS = ("<", "<=", ">", ">=", "==", "!=")


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: Arith


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Arith
    right: Arith


@dataclass(frozen=True)
class Compare:
    op: str
    left: Arith
    right: Arith


@dataclass(frozen=True)
class Const:
    value: bool


@dataclass(frozen=True)
class Not:
    operand: Condition


@dataclass(frozen=True)
class BoolOp:
    op: str
    operands: tuple[Condition, ...]


Arith = Num | Var | Neg | BinOp
Condition = Compare | Const | Not | BoolOp


class RuleError(PlanProgressSchemaError):
    """A RAG rule set that cannot be parsed; the message gives the field path and the position."""


def _tokenize(text: str) -> list[str]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise RuleError(f"unexpected character {text[pos:].strip()[:1]!r} at column {pos + 1}")
        tokens.append(match.group(match.lastgroup or "op"))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise RuleError(f"expected {expected or 'a token'} at token {self.pos + 1}, found {token!r}")
        self.pos += 1
        return token

    def parse(self) -> Condition:
        node = self.or_expr()
        if self.peek() is not None:
            raise RuleError(f"unexpected {self.peek()!r} at token {self.pos + 1}")
        return node

    def or_expr(self) -> Condition:
        parts = [self.and_expr()]
        while self.peek() == "or":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def and_expr(self) -> Condition:
        parts = [self.not_expr()]
        while self.peek() == "and":
            self.take()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def not_expr(self) -> Condition:
        token = self.peek()
        if token == "not":
            self.take()
            return Not(self.not_expr())
        if token in ("true", "false"):
            self.take()
            return Const(token == "true")
        if token == "(":
            saved = self.pos
            try:
                self.take("(")
                node = self.or_expr()
                self.take(")")
                if self.peek() not in _COMPARATORS and self.peek() not in ("+", "-", "*", "/"):
                    return node
            except RuleError:
                pass
            self.pos = saved
        return self.comparison()

    def comparison(self) -> Compare:
        left = self.sum()
        op = self.peek()
        if op not in _COMPARATORS:
            raise RuleError(f"expected a comparison operator at token {self.pos + 1}, found {op!r}")
        self.take()
        return Compare(op, left, self.sum())

    def sum(self) -> Arith:
        node = self.product()
        while self.peek() in ("+", "-"):
            node = BinOp(self.take(), node, self.product())
        return node

    def product(self) -> Arith:
        node = self.factor()
        while self.peek() in ("*", "/"):
            node = BinOp(self.take(), node, self.factor())
        return node

    def factor(self) -> Arith:
        token = self.take()
        if token == "-":
            return Neg(self.factor())
        if token == "(":
            node = self.sum()
            self.take(")")
            return node
        if token[0].isdigit() or token[0] == ".":
            return Num(float(token))
        if token in VARIABLES:
            return Var(token)
        raise RuleError(f"unknown variable {token!r}; allowed {sorted(VARIABLES)}")


def parse_condition(text: str | bool) -> Condition:
    """Parse one ``when`` condition (a YAML ``true``/``false`` is accepted as the constant)."""
    if isinstance(text, bool):
        return Const(text)
    if not isinstance(text, str) or not text.strip():
        raise RuleError("a condition must be a non-empty string")
    return _Parser(text).parse()


def _arith_expr(node: Arith, columns: Mapping[str, str]) -> pl.Expr:
    if isinstance(node, Num):
        return pl.lit(node.value, dtype=pl.Float64)
    if isinstance(node, Var):
        return pl.col(columns[node.name]).cast(pl.Float64)
    if isinstance(node, Neg):
        return -_arith_expr(node.operand, columns)
    left, right = _arith_expr(node.left, columns), _arith_expr(node.right, columns)
    ops = {"+": left + right, "-": left - right, "*": left * right, "/": left / right}
    return ops[node.op]


def condition_expr(node: Condition, columns: Mapping[str, str]) -> pl.Expr:
    """Compile a condition to a boolean Polars expression that is true only when the condition surely holds.

    Missing values follow three-valued (Kleene) logic: a comparison with a missing value is unknown, ``not``
    of unknown is unknown, ``unknown or true`` is true; an unknown result counts as false at the end.
    """
    return _condition(node, columns).fill_null(False)


def _condition(node: Condition, columns: Mapping[str, str]) -> pl.Expr:
    if isinstance(node, Const):
        return pl.lit(node.value)
    if isinstance(node, Not):
        return ~_condition(node.operand, columns)
    if isinstance(node, BoolOp):
        parts = [_condition(p, columns) for p in node.operands]
        out = parts[0]
        for part in parts[1:]:
            out = (out & part) if node.op == "and" else (out | part)
        return out
    left, right = _arith_expr(node.left, columns), _arith_expr(node.right, columns)
    ops = {
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
        "==": left == right,
        "!=": left != right,
    }
    return ops[node.op]


@dataclass(frozen=True)
class RagRule:
    status: str
    when: str
    condition: Condition


@dataclass(frozen=True)
class RagRules:
    """An ordered rule list; empty means no status (e.g. aspirational targets)."""

    rules: tuple[RagRule, ...]

    def as_data(self) -> list[dict[str, str]]:
        """The rules back as plain data, for explanations and persistence."""
        return [{"status": r.status, "when": r.when} for r in self.rules]


def parse_rag_rules(raw: Sequence[Mapping[str, object]] | None, *, path: str = "rag_rules") -> RagRules:
    """Validate and parse ``[{status, when}, ...]``; errors name the field path, e.g. ``rag_rules[1].when``."""
    if raw is None:
        return RagRules(())
    if isinstance(raw, (str, bytes)) or not isinstance(raw, Sequence):
        raise RuleError(f"{path}: expected a list of rules")
    rules = []
    for i, item in enumerate(raw):
        where = f"{path}[{i}]"
        if not isinstance(item, Mapping):
            raise RuleError(f"{where}: expected a mapping with status and when")
        unknown = sorted(set(item) - {"status", "when"})
        if unknown:
            raise RuleError(f"{where}: unknown keys {unknown}")
        status = item.get("status")
        if status not in STATUSES_RAG:
            raise RuleError(f"{where}.status: {status!r} not in {list(STATUSES_RAG)}")
        when = item.get("when", True)
        try:
            condition = parse_condition(when)  # type: ignore[arg-type]
        except RuleError as exc:
            raise RuleError(f"{where}.when: {exc}") from exc
        text = ("true" if when else "false") if isinstance(when, bool) else str(when).strip()
        rules.append(RagRule(str(status), text, condition))
    return RagRules(tuple(rules))


def _rules(*pairs: tuple[str, str]) -> RagRules:
    return parse_rag_rules([{"status": s, "when": w} for s, w in pairs], path="default_rules")


DEFAULT_RULES: dict[tuple[str, str], RagRules] = {
    ("level", "higher_is_better"): _rules(
        ("green", "forecast >= target"), ("amber", "upper >= target or forecast >= 0.9 * target"), ("red", "true")
    ),
    ("level", "lower_is_better"): _rules(
        ("green", "forecast <= target"), ("amber", "lower <= target or forecast <= 1.1 * target"), ("red", "true")
    ),
    ("growth_rate", "higher_is_better"): _rules(
        ("green", "forecast >= target"), ("amber", "upper >= target or forecast >= 0.8 * target"), ("red", "true")
    ),
    ("growth_rate", "lower_is_better"): _rules(
        ("green", "forecast <= target"), ("amber", "lower <= target or forecast <= 1.2 * target"), ("red", "true")
    ),
    ("direction_only", "higher_is_better"): _rules(
        ("green", "direction_score > 0"), ("amber", "direction_score == 0"), ("red", "true")
    ),
    ("aspirational", "higher_is_better"): RagRules(()),
}
for _direction in ("higher_is_better", "lower_is_better"):
    for _kind in ("ratio", "count"):
        DEFAULT_RULES[(_kind, _direction)] = DEFAULT_RULES[("level", _direction)]
DEFAULT_RULES[("direction_only", "lower_is_better")] = DEFAULT_RULES[("direction_only", "higher_is_better")]
DEFAULT_RULES[("aspirational", "lower_is_better")] = RagRules(())


def default_rules_for(target_kind: str, direction: str) -> RagRules:
    """The engine's default rule set for a target kind and direction (documented in the engine doc)."""
    return DEFAULT_RULES[(target_kind, direction)]
