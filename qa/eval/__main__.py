"""`python -m eval` runs the grounding eval."""

import sys

from qa.eval.run import main

sys.exit(main(sys.argv[1:]))
