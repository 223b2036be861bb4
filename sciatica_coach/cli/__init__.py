"""The command line: `sciatica-coach` opens the window; subcommands work without Qt widgets."""
