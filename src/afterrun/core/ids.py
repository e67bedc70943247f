"""Row ids as runners type them."""

#: The largest id a stored row can have (PostgreSQL's integer), so that a mistyped id is
#: refused as input, not an overflow deep in a database driver.
MAX_ID = 2**31 - 1
