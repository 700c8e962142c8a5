"""Documents: context builders (ledger data → plain dict) and two renderers, Word and PDF.

A context builder is shared by both renderers and tested on its own; ``word`` fills a docxtpl
template a clerk may replace, ``pdf`` lays the same context out with reportlab. The heavy
libraries are imported only here, only when a document is made.
"""

MISSING = "【待补充】"  # printed wherever the clerk left a field empty; never invented
