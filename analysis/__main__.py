"""`python -m analysis`: build and update topic models of a store."""

import sys

from analysis.cli import main

sys.exit(main())
