"""The command-line layer: parses arguments, calls the domain, prints results."""
