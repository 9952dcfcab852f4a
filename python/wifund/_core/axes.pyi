"""
Names and order of every axis (core/axes.hpp)
"""

benefit_kinds: list[str]
care_levels: list[str]
disability_grades: tuple[int, int]  # (first, last)
expenditure_items: list[str]
revenue_items: list[str]
risk_classes: list[str]
sexes: list[str]
short_term_items: list[str]
