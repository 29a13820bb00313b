"""``python -m viz.cli``: the ``chalkgrad`` command."""

import sys

from viz.cli.command import main

sys.exit(main())
