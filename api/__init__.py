"""The Expense Tracker API server."""

import os

# Piccolo finds its engine and apps through this module path (its migration
# runner and tables both ask for it); the project has exactly one.
os.environ.setdefault("PICCOLO_CONF", "api.piccolo_conf")
