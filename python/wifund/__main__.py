"""``python -m wifund`` runs the command line (see wifund.cli)."""

import sys

from .cli import main

sys.exit(main())
