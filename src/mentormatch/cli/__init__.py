"""The command line: Typer commands that parse arguments, call one library function each, and
render the result with rich. The only layer that imports typer or rich, prints, or exits.
"""
