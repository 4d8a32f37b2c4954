"""The work: jobs, items and their lifecycle, budgets, exchange rates, the agenda."""
