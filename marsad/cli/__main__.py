"""``python -m marsad.cli``: the ``marsad`` command."""

import sys

from marsad.cli import main

sys.exit(main())
