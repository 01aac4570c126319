"""Models of the enterprise registry."""

from .enterprises import Enterprise, EnterpriseGroup
from .facts import EnterpriseMonthFact, EnterpriseYearFact, SizeRule
from .taxonomy import IndustryCategory, IndustryGroup, IndustryMapping, IndustrySystem
from .tiers import Tier

__all__ = [
    "Enterprise",
    "EnterpriseGroup",
    "EnterpriseMonthFact",
    "EnterpriseYearFact",
    "IndustryCategory",
    "IndustryGroup",
    "IndustryMapping",
    "IndustrySystem",
    "SizeRule",
    "Tier",
]
