"""Billing: fees, drafts, numbering, issuing, credit notes, payments, time, costs."""
