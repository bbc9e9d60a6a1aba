"""`python -m cnaikg`: the same as the `cnaikg` command."""

import sys

from cnaikg.cli import main

sys.exit(main())
