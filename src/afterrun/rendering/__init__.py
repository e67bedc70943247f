"""Presentation: exercise illustrations as SVG, the weekly report as HTML, and the few
ways a duration or a time is written. Pure: strings in, strings out."""
