"""What the desktop keeps on this computer: the data last seen, and changes not yet sent."""

from desktop.local.store import LocalStore, Queued, data_root, store_path

__all__ = ["LocalStore", "Queued", "data_root", "store_path"]
