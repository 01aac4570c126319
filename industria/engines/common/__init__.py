"""Shared machinery of the evaluation engines: rule sets as data, exact comparisons, one rounding rule.

Modules: ``parsing`` (path-aware reading, ``RulesError``), ``sources`` (evidence tags S/M/U), ``formula`` and
``values`` (formulas and ratios, exact on scaled integers), ``conditions``, ``bands``, ``indicators`` and
``scoring_rules`` (indicator methods and their parsing), ``outcomes`` (pass/fail routes, grades),
``ruleset`` (the ``RuleSet`` model and ``parse_ruleset``), ``evaluate`` (the pipeline), ``findings``,
``explain``, ``rounding``, ``cases`` (when/then chains), ``schema`` (facts schemas and input coercion) and
``uscc`` (GB 32100 checks).
Only polars and the stdlib are imported here.  See docs/engines/evaluation.md.
"""
