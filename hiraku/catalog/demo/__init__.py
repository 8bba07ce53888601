"""The demo catalog that `hiraku demo` loads: a fictional city hall's departments and sections,
users of every role, and datasets made from real municipal open data (files/, attributed) or
clearly labelled synthetic data (synthetic.py)."""
