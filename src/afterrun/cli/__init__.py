"""The command line: parse, call the core, print. Nothing else lives here."""
