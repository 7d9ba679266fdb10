"""`python -m graph` runs the `lrkg` command."""

from graph.cli import main

main()
