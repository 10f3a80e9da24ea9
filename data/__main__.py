"""Entry point of `python -m data`."""

import sys

from data.cli import main

if __name__ == "__main__":
    sys.exit(main())
