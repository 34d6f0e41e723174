"""`python -m mentormatch` runs the command-line tool."""

from mentormatch.cli import main

main()
