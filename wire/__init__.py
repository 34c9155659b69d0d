"""Wire types of the HTTP API (``shared/API.md``), shared by the API and the desktop client.

Pure msgspec: importing this package never pulls in the server (Litestar, Piccolo)
nor Qt, so each side can use the one definition of every request and response.
"""
