"""Delivering: checking, ordering, shipping, receiving, handover, notices."""
