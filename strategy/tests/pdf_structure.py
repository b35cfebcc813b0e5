"""Reading a PDF back: its structure tree's tags, language, title and figures' alternative text."""

import io
from collections import Counter

from pypdf import PdfReader


def pdf_structure(content):
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    tags, alts = Counter(), []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if "/S" in node:
            tags[str(node["/S"])] += 1
            if node["/S"] == "/Figure":
                alts.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"])
    metadata = root["/Metadata"].get_object().get_data().decode() if "/Metadata" in root else ""
    return {
        "lang": str(root.get("/Lang", "")), "title": str((reader.metadata or {}).get("/Title", "")),
        "marked": bool(root.get("/MarkInfo", {}).get("/Marked")), "tags": tags, "alts": alts,
        "has_tree": "/StructTreeRoot" in root, "pdfua": "pdfuaid:part" in metadata, "pages": len(reader.pages),
        "text": "".join(page.extract_text() for page in reader.pages),
    }
