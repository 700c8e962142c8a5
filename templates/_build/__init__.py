"""Developer tools that (re)build the shipped Word templates; not used at run time.

Each module here builds one template with python-docx and has ``build(path: Path) -> None`` and a
``TEMPLATE`` name. The committed .docx files are what a clerk copies and edits.
"""
