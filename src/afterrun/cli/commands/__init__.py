"""One module per command: its Click declaration and its body, loaded by `cli.main`."""
