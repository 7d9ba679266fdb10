"""`python -m api` runs the `lrkg` command.

`make serve` starts the server this way rather than through the `lrkg` script: multiprocessing
never re-runs a package's `__main__`, so the query workers start without the CLI's imports.
"""

from api.cli import main

main()
