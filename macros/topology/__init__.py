"""Topology specs: executable diagrams, drawn for the pages and compared with the engine.

``model`` (dataclasses), ``specs`` (one per page), ``render`` (SVG), ``live`` (read an
engine), ``compare`` (spec vs engine), ``cli`` (draw your own host).
"""
