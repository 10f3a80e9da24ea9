"""`python -m analysis`: build and update topic models of a store."""

import sys

from analysis.cli import main

if __name__ == "__main__":  # Dask's worker processes import this module again: run nothing then
    sys.exit(main())
