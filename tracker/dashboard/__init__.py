"""The monitoring dashboard of an evaluation (koordinator, pimpinan) and a PIC's home page."""
