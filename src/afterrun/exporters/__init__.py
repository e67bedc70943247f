"""Files afterrun writes for other programs and devices: bytes out, no file I/O."""
