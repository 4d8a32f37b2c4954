"""Run the CLI as `python -m shopcli`."""

from shopcli.cli.app import main

main()
