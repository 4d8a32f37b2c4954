"""The plumbing every area stands on: errors, money, dates, checks, files, paths."""
