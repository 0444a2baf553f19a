"""The counting engine: one rule per module, a registry by name, one Result type."""

from frombelow.core.counting.result import Result, Round, TieBreak
from frombelow.core.counting.rule import CountError, CountOptions, Rule, Threshold

__all__ = ["CountError", "CountOptions", "Result", "Round", "Rule", "Threshold", "TieBreak"]
