"""`python -m dynagen` is the same as the `dynagen` command."""

import sys

from dynagen.cli import main

sys.exit(main())
