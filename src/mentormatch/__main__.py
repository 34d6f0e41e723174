"""`python -m mentormatch` runs the command-line tool."""

from mentormatch.cli.app import main

main()
