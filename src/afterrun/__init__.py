"""afterrun: a post-run recovery coach."""

__version__ = "0.1.0"
