"""`python -m ivr`: the command line."""

from ivr.cli import main

raise SystemExit(main())
