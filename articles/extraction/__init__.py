"""Extraction of draft position statements from article text: plain Python, no Django."""
