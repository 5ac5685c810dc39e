"""``python -m cse_screen`` runs the command line (no subcommand opens the desktop app)."""

from cse_screen.cli import main

raise SystemExit(main())
