"""Bank statement import: the file formats (``formats/``) and, later, the service and routes."""
