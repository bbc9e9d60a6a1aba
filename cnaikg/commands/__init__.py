"""Subcommands of the cnaikg command line, one module each (discovered automatically)."""
