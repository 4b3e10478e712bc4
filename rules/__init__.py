"""The policy engine: a member's critical-illness cap, incentives, waiting period and benefit start.

Pure: parameters are read once from rules/parameters/*.yaml, "today" is an input, nothing parses
text. Every figure comes with trace steps citing the document, article and sentence behind it.

    from rules import evaluate, History, Coverage, Group, Result, RulesError
    evaluate(History.from_lists(2027, enrolled=[2027], paid_on=date(2026, 12, 15))).cap.effective
"""
from rules.engine import evaluate
from rules.errors import RulesError, error_message
from rules.models import (Cap, CapYear, Citation, Coverage, Fees, FeeTier, Group, History, Result, Step,
                          Waiting)

__all__ = ["evaluate", "History", "Coverage", "Group", "Result", "RulesError", "error_message",
           "Cap", "CapYear", "Citation", "Fees", "FeeTier", "Step", "Waiting"]
