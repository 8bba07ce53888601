"""Hiraku (開く): an open data portal for Japanese cities."""

__version__ = "0.1.0"
