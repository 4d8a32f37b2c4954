"""Proposing: the cart sent for approval, and reading the client's decisions."""
