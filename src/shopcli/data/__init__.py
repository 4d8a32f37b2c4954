"""The shop's data as a whole: imports, exports, backups, restores, the demo."""
