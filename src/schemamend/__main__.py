"""`python -m schemamend` runs the command line."""

from schemamend.cli.main import main

main()
