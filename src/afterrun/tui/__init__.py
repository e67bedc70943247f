"""The full-screen terminal player (Textual). Imported only by `afterrun go`."""
