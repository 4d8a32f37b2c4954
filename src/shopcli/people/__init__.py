"""The people: the shopper's profile, clients, their recipients, and privacy."""
